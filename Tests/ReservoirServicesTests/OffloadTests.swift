import Foundation
import ReservoirServices
import Testing

@Suite("Offloaded work")
struct OffloadTests {
    @Test("more blocking plans than cores leave the cooperative pool free: other tasks still run meanwhile", .timeLimit(.minutes(1)))
    func blockingWorkDoesNotHoldThePool() async throws {
        let gate = DispatchSemaphore(value: 0)
        let plans = ProcessInfo.processInfo.activeProcessorCount + 2
        let running = (0..<plans).map { i in
            Task { try await Offload.run { gate.wait(); return i } }
        }
        // Had the plans run on the cooperative pool, every thread of it would be blocked on the gate
        // and this task could never run; offloaded, it runs at once.
        let answered = await Task { 42 }.value
        #expect(answered == 42)
        for _ in 0..<plans { gate.signal() }
        var finished: [Int] = []
        for task in running { finished.append(try await task.value) }
        #expect(finished == Array(0..<plans))
    }

    @Test("an error thrown by offloaded work reaches the caller")
    func errorsPropagate() async {
        struct Refused: Error {}
        await #expect(throws: Refused.self) { try await Offload.run { () throws -> Int in throw Refused() } }
    }
}
