import Foundation
import ReservoirCore
import ReservoirEngine
import Testing
import ReservoirTestSupport

@Suite("Simulated engine on a wall clock")
struct SimulatedEngineTests {
    /// Collects events from a stream until `count` have arrived or a second has passed.
    func collect(_ stream: AsyncStream<EngineEvent>, count: Int) async -> [EngineEvent] {
        await withTaskGroup(of: [EngineEvent].self) { group in
            group.addTask {
                var seen: [EngineEvent] = []
                for await event in stream {
                    seen.append(event)
                    if seen.count == count { break }
                }
                return seen
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                return []
            }
            let first = await group.next() ?? []
            group.cancelAll()
            return first
        }
    }

    @Test("a completion that falls due before the next submission is delivered, not swallowed")
    func completionBeforeSubmitIsDelivered() async throws {
        let clock = ManualClock(1_000)
        let engine = SimulatedEngine(nodes: [], speed: 1, clock: { clock.now })
        let events = engine.events()  // subscribed on return: nothing published after this is missed
        try await engine.submit(spec("a", runtime: 2))
        clock.advance(5)
        try await engine.submit(spec("b", runtime: 100))
        clock.advance(1)
        try await engine.cancel("b")
        let seen = await collect(events, count: 4)
        #expect(seen.map(\.kind) == [.started, .succeeded, .started, .cancelled])
        #expect(seen.map(\.job) == ["a", "a", "b", "b"])
        #expect(seen[1].at == 1_002, "a finishes at its start plus runtime in wall time")
    }
}
