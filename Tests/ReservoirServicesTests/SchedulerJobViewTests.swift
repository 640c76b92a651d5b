import Foundation
import ReservoirCore
@testable import ReservoirServices
import ReservoirStore
import Testing

/// The scheduler keeps its own view of the jobs from the store's change feed. `World` turns on
/// `verifySchedulerView`, so every cycle here (and in every other services test) also compares the
/// view with a full read and fails on any difference.
@Suite("Scheduler job view")
struct SchedulerJobViewTests {
    @Test("the view follows the change feed through submissions, admissions, cancels and completions with one full read")
    func followsTheFeed() async throws {
        let w = try World()
        let pump = await EventPump(w)
        var submitted: [Job] = []
        var random = SystemRandomNumberGenerator()
        for round in 0..<12 {
            for i in 0..<Int.random(in: 1...4, using: &random) {
                submitted.append(try w.submit("r\(round)-\(i)", gpus: Int.random(in: 1...3, using: &random), runtime: Double.random(in: 5...40, using: &random), by: i % 2 == 0 ? w.member : w.other))
            }
            try await w.reservoir.scheduling.runSchedulingCycle()
            _ = try await eventually(w) { try w.store.jobs(tenant: nil, states: [.admitted], limit: 100).isEmpty }
            // Cancel one waiting and one running job now and then.
            if round % 3 == 1 {
                for state in [JobState.queued, .running] {
                    if let job = try w.store.jobs(tenant: nil, states: [state], limit: 1).first {
                        _ = try await w.reservoir.jobs.cancel(job.id, by: job.tenant == "alpha" ? w.member : w.other)
                    }
                }
            }
            w.clock.advance(15)
            await w.engine.poll()
        }
        w.clock.advance(600)
        #expect(try await eventually(w) { try w.store.countJobs(tenant: nil, states: [.running, .admitted], since: nil) == 0 })
        for _ in 0..<30 {
            try await w.reservoir.scheduling.runSchedulingCycle()
            _ = try await eventually(w) { try w.store.jobs(tenant: nil, states: [.admitted], limit: 100).isEmpty }
            w.clock.advance(60)
            await w.engine.poll()
        }
        let states = Set(try submitted.map { try w.job($0.id).state })
        #expect(states.isSubset(of: [.succeeded, .cancelled]), "every job ran or was cancelled: \(states)")
        #expect(states.contains(.succeeded))
        #expect(w.reservoir.scheduling.jobView.rebuilds == 1, "one full read, at the first cycle; the feed after that")
        withExtendedLifetime(pump) {}
    }

    @Test("the view learns the runtime history from the feed: a job without a runtime is predicted from those that succeeded")
    func historyFromTheFeed() async throws {
        let w = try World()
        let pump = await EventPump(w)
        for i in 0..<4 {
            _ = try w.submit("same", gpus: 1, runtime: 100 + Double(i))
        }
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try await eventually(w) { try w.store.countJobs(tenant: nil, states: [.running], since: nil) == 4 })
        w.clock.advance(200)
        #expect(try await eventually(w) { try w.store.countJobs(tenant: nil, states: [.succeeded], since: nil) == 4 })
        let jobs = try w.reservoir.scheduling.jobView.current(w.store, w.reservoir.configuration.profiles)
        #expect(w.reservoir.scheduling.jobView.historySamples().count == 4)
        #expect(jobs.history.meanRuntimes["alpha"] != nil)
        let unknown = Job(
            id: "job-999999", name: "same", tenant: "alpha", submittedBy: "alice", pool: "p1", request: ResourceRequest(gpus: 1), submittedAt: 0)
        #expect(jobs.history.predictor.predict(unknown) != nil)
        #expect(w.reservoir.scheduling.jobView.rebuilds == 1)
        withExtendedLifetime(pump) {}
    }

    @Test("a reconciliation makes the view read every job again (doubt is removed by a full read)")
    func reconcileRebuilds() async throws {
        let w = try World()
        let pump = await EventPump(w)
        _ = try w.submit("a", gpus: 1, runtime: 3600)
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(w.reservoir.scheduling.jobView.rebuilds == 1)
        try await w.reservoir.scheduling.reconcile()
        _ = try w.submit("b", gpus: 1, runtime: 3600)
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(w.reservoir.scheduling.jobView.rebuilds == 2)
        #expect(try await eventually(w) { try w.store.countJobs(tenant: nil, states: [.running], since: nil) == 2 })
        withExtendedLifetime(pump) {}
    }

    @Test("a cycle writes only the reasons that changed: a queue that cannot move writes nothing")
    func unchangedReasonsAreNotWritten() async throws {
        let w = try World()
        let pump = await EventPump(w)
        // 8 GPUs in the pool: the third job of 4 waits.
        for name in ["a", "b", "c"] { _ = try w.submit(name, gpus: 4, runtime: 3600, by: name == "b" ? w.other : w.member) }
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try await eventually(w) { try w.store.countJobs(tenant: nil, states: [.running], since: nil) == 2 })
        try await w.reservoir.scheduling.runSchedulingCycle()
        let stamp = try w.store.jobChangeSeq()
        for _ in 0..<3 { try await w.reservoir.scheduling.runSchedulingCycle() }
        #expect(try w.store.jobChangeSeq() == stamp, "no job row written by cycles that change nothing")
        #expect(try w.store.jobs(tenant: nil, states: [.queued], limit: 10).first?.reason != nil)
        withExtendedLifetime(pump) {}
    }

    @Test("stamps going backwards (a database restored from an older copy) make the view read every job of the new file")
    func stampsBackwardsRebuild() throws {
        let newer = try World(), older = try World()
        for name in ["a", "b", "c", "d"] { _ = try newer.submit(name) }
        let kept = try older.submit("kept")
        let view = JobView()
        #expect(try view.unfinished(newer.store).pending.count == 4)
        #expect(try older.store.jobChangeSeq() < newer.store.jobChangeSeq())
        #expect(try view.unfinished(older.store).pending.map(\.id) == [kept.id])
        #expect(view.rebuilds == 2)
    }
}
