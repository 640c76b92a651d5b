import ReservoirCore
import ReservoirTestSupport
import Testing

@testable import ReservoirStore

/// `seedJobs` (behind `reservoir bench seed`): a lived history goes in through the same row writers as
/// a submission — ids in order, events, one audit entry per job, usage for the jobs that ran — and a job
/// that would hold devices is refused before anything is written.
@Suite("Seeded job history")
struct SeedJobsTests {
    static func ended(_ name: String, submitted: Double, started: Double?, finished: Double, state: JobState) -> SeededJob {
        var job = Job(id: "seed", name: name, tenant: "a", submittedBy: "seed", pool: "p", request: ResourceRequest(gpus: 2), state: state, submittedAt: submitted)
        job.startedAt = started
        job.finishedAt = finished
        var events = [JobEvent(at: submitted, kind: "submitted", message: "submitted by seed")]
        if let started {
            job.placements = [placement("n0", [0, 1])]
            events.append(JobEvent(at: started, kind: "running", message: "started"))
        }
        events.append(JobEvent(at: finished, kind: state.rawValue, message: "ended"))
        return SeededJob(job: job, events: events)
    }

    @Test("ended and waiting jobs get ids in order, their events, an audit entry each, and usage from start to finish for those that ran")
    func historyIsWritten() throws {
        let store = try seededStore()
        let ran = Self.ended("ran", submitted: 100, started: 160, finished: 760, state: .succeeded)
        let never = Self.ended("never", submitted: 200, started: nil, finished: 230, state: .cancelled)
        let waiting = SeededJob(job: Job(id: "seed", name: "waits", tenant: "a", submittedBy: "seed", pool: "p", request: ResourceRequest(gpus: 1), submittedAt: 900),
                                events: [JobEvent(at: 900, kind: "submitted", message: "submitted by seed")])
        let ids = try store.seedJobs([ran, never, waiting], by: operatorWho)
        #expect(ids == ["job-000001", "job-000002", "job-000003"])
        #expect(try store.job("job-000001")?.state == .succeeded && store.job("job-000003")?.state == .queued)
        #expect(try store.events(job: "job-000001").map(\.kind) == ["submitted", "running", "succeeded"])
        #expect(try store.auditEntries(object: "jobs/job-000002", tenant: nil, since: nil, limit: 10).map(\.action) == ["job.seed"])
        let usage = try store.usageSessions(tenant: "a", since: 0, until: 10_000)
        #expect(usage.map(\.job) == ["job-000001"], "only the job that ran used devices")
        #expect(usage.first?.startedAt == 160 && usage.first?.endedAt == 760 && usage.first?.gpuMilli == 2000)
        #expect(try store.deviceBookings().isEmpty, "a seeded history books no device")
        // The next submission continues the numbering.
        #expect(try store.insertJob(waiting.job, by: operatorWho).id == "job-000004")
    }

    @Test("a job that would hold devices is refused, naming the field, and nothing of the batch is written")
    func holdingJobRefused() throws {
        let store = try seededStore()
        var running = Self.ended("running", submitted: 100, started: 160, finished: 760, state: .succeeded)
        running.job.state = .running
        let error = #expect(throws: ReservoirError.self) {
            try store.seedJobs([Self.ended("ok", submitted: 1, started: nil, finished: 2, state: .cancelled), running], by: operatorWho)
        }
        #expect(error?.field == "state")
        #expect(try store.countJobs(tenant: nil, states: nil, since: nil) == 0)
    }
}
