import ReservoirCore
import ReservoirServices
import Testing

@Suite("Demand series from Reservoir's own jobs")
struct DemandSeriesTests {
    func job(_ id: String, gpus: Int, submitted: Double, started: Double?, finished: Double?, state: JobState) -> Job {
        var j = Job(id: JobID(id), name: id, tenant: "t", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: gpus), state: state, submittedAt: submitted)
        j.startedAt = started
        j.finishedAt = finished
        return j
    }

    @Test func hourlySamplesFollowTheProtocol() {
        // a: submitted 0:30, runs 1:00–3:00 with 2 GPUs. b: submitted 1:10, still queued at 4:00 with 4 GPUs.
        let jobs = [
            job("a", gpus: 2, submitted: 1800, started: 3600, finished: 10_800, state: .succeeded),
            job("b", gpus: 4, submitted: 4200, started: nil, finished: nil, state: .queued),
        ]
        let s = DemandSeries.derive(jobs: jobs, from: 0, to: 4 * 3600, now: 4 * 3600)
        #expect(s.inUse == [0, 2, 2, 0])
        #expect(s.arrived == [2, 4, 0, 0])
        #expect(s.queued == [0, 0, 4, 4])
    }

    @Test func dailyIsMeanOfSamplesAndSumOfArrivals() {
        let jobs = (0..<48).map { h in job("j\(h)", gpus: 1, submitted: Double(h) * 3600 + 60, started: Double(h) * 3600 + 60, finished: Double(h) * 3600 + 1860, state: .succeeded) }
        let s = DemandSeries.derive(jobs: jobs, from: 0, to: 48 * 3600, step: 86_400, now: 48 * 3600)
        #expect(s.step == 86_400 && s.arrived == [24, 24] && s.inUse == [0, 0])
    }
}
