import Foundation
import ReservoirCore
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// The estimator calibrates on what Reservoir records: a granted training run whose jobs are over
/// joins the published runs, and `POST /v1/estimates` answers say how many actuals the fit used.
@Suite struct EstimationActualsTests {
    @Test("a finished granted training run is a recorded actual; one still running is not")
    func recordedActual() throws {
        let store = try SQLiteStore(path: nil)
        let reservoir = Reservoir(store: store, engine: SilentEngine(), logger: World.logger, clock: { 100_000 })
        let who = Attribution(actor: "user:alice", at: 1_000)
        try store.createTenant(Tenant(id: "t"), by: who)
        for (id, seconds, state) in [("req-000001", 7_200.0, JobState.succeeded), ("req-000002", 3_600, .running)] {
            let (grant, request) = CalibrationFixture.granted(id)
            try store.createRequest(request, grant: grant, notices: [], idempotency: nil, by: who)
            var job = Job(id: JobID("job-\(id)"), name: "sft", tenant: "t", submittedBy: "alice", pool: "p1", request: ResourceRequest(gpus: 8), state: state, submittedAt: 1_000)
            job.grant = grant.id
            job.startedAt = 1_000
            if state == .succeeded { job.finishedAt = 1_000 + seconds }
            _ = try store.insertJob(job, by: who)
        }
        let runs = try reservoir.estimates.recordedRuns()
        #expect(runs.count == 1 && runs.first?.recorded == true)
        #expect(abs((runs.first?.gpuHours ?? 0) - 16) < 1e-9)  // 8 GPUs × 2 h

        var ask = EstimateRequest(kind: .training)
        ask.parameters = 7e9
        ask.tokens = 20e9
        ask.model = "A100-80GB"
        ask.gpus = 8
        let principal = Principal(user: User(id: "alice", tenant: "t", roles: [.member]))
        let calibration = try #require(try reservoir.estimates.estimate(ask, by: principal).training?.calibration)
        #expect(calibration.runs == 4 && calibration.actuals == 1 && calibration.basis == .fitted)
    }
}

/// A granted L2 fine-tune of a 7B model on 20B tokens (A100-80GB, 8 GPUs).
enum CalibrationFixture {
    static func granted(_ id: String) -> (Grant, AllocationRequest) {
        var form = RequestForm(kind: .training, category: .fineTuning)
        var training = TrainingDetails()
        training.parameters = 7e9
        training.tokens = 20e9
        training.gpuModel = "A100-80GB"
        form.training = training
        let request = AllocationRequest(id: RequestID(id), tenant: "t", applicant: "alice", form: form, asked: AllocationTerms(gpus: 8), submittedAt: 1_000)
        let access = GrantAccess(engine: "simulated", account: "t", partition: "p1", qos: "P2", queue: "p1", instructions: "")
        let grant = Grant(id: GrantID("g-\(id)"), request: request.id, tenant: "t", pool: "p1", model: "A100-80GB", gpuMilli: 8_000, priority: .p2,
                          category: .fineTuning, startsAt: 1_000, endsAt: nil, estimatedGPUHours: 20, access: access, createdAt: 1_000, approvedBy: "system:auto-approval")
        return (grant, request)
    }
}
