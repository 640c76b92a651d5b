import Foundation
import ReservoirCore
import ReservoirEngine
@testable import ReservoirServices
import ReservoirTestSupport
import Testing

/// The engine event service applies what arrived at once as a burst: different jobs' events share
/// group commits, one job's events keep their order.
@Suite("Engine event bursts")
struct EngineEventBurstTests {
    @Test("a burst of started and ended events for many jobs: each job runs once and ends, in its order")
    func burstKeepsEachJobsOrder() async throws {
        let w = try World()
        let jobs = try (0..<8).map { try w.submit("burst-\($0)", gpus: 1, runtime: 60) }
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try jobs.allSatisfy { try w.job($0.id).state == .admitted })
        let now = w.clock.now
        var burst: [EngineEvent] = []
        for job in jobs { burst += [EngineEvent(job: job.id, kind: .started, at: now), EngineEvent(job: job.id, kind: .started, at: now)] }
        for job in jobs { burst.append(EngineEvent(job: job.id, kind: .succeeded, at: now + 30, exitCode: 0)) }
        await w.reservoir.scheduling.apply(burst)
        for job in jobs {
            let done = try w.job(job.id)
            #expect(done.state == .succeeded && done.startedAt == now && done.finishedAt == now + 30)
            #expect(try w.store.events(job: job.id).map(\.kind) == ["submitted", "admitted", "running", "succeeded"])
        }
        #expect(try w.store.deviceBookings().isEmpty)
        #expect(try StoreInvariants.violations(w.store).isEmpty)
    }

    @Test("the inbox hands over everything that arrived since the last take, waits when empty, ends when closed")
    func inbox() async throws {
        let inbox = EngineEventInbox()
        let a = EngineEvent(job: "job-000001", kind: .started, at: 1)
        let b = EngineEvent(job: "job-000002", kind: .started, at: 2)
        inbox.put(a)
        inbox.put(b)
        #expect(await inbox.take() == [a, b])
        let waiting = Task { await inbox.take() }
        try await Task.sleep(for: .milliseconds(20))
        inbox.put(b)
        #expect(await waiting.value == [b])
        inbox.close()
        #expect(await inbox.take() == nil)
    }
}
