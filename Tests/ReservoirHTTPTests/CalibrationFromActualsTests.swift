import Foundation
import ReservoirCore
import ReservoirServices
import ReservoirStore
import Testing

/// Calibration from actuals over HTTP: once a granted training run is over, `POST /v1/estimates` and the
/// estimate intake attaches to a new request both fit it beside the published runs, with the same error.
@Suite("Estimator calibration from recorded actuals over HTTP")
struct CalibrationFromActualsTests {
    /// A finished granted fine-tune of tenant alpha on 8 A100s that ran 300 h: 2,400 GPU-hours for 6·7e9·20e9 FLOPs, 0.31 of peak.
    static func recordFinishedRun(_ store: SQLiteStore) throws {
        var form = RequestForm(kind: .training, category: .fineTuning)
        var training = TrainingDetails()
        training.parameters = 7e9
        training.tokens = 20e9
        training.gpuModel = "A100-80GB"
        form.training = training
        let request = AllocationRequest(id: "req-900001", tenant: "alpha", applicant: "alice", form: form, asked: AllocationTerms(gpus: 8), submittedAt: 1_000)
        let access = GrantAccess(engine: "simulated", account: "alpha", partition: "p1", qos: "P2", queue: "p1", instructions: "")
        let grant = Grant(id: "grant-900001", request: request.id, tenant: "alpha", pool: "p1", model: "A100-80GB", gpuMilli: 8_000, priority: .p2,
                          category: .fineTuning, startsAt: 1_000, endsAt: nil, estimatedGPUHours: 2_000, access: access, createdAt: 1_000, approvedBy: "system:auto-approval")
        let who = Attribution(actor: "user:alice", at: 1_000)
        try store.createRequest(request, grant: grant, notices: [], idempotency: nil, by: who)
        var job = Job(id: "job-900001", name: "sft", tenant: "alpha", submittedBy: "alice", pool: "p1", request: ResourceRequest(gpus: 8), state: .succeeded, submittedAt: 1_000)
        job.grant = grant.id
        job.startedAt = 1_000
        job.finishedAt = 1_000 + 300 * 3_600
        _ = try store.insertJob(job, by: who)
    }

    @Test("estimates and intake say the fit used one recorded actual, and show its error")
    func recorded() async throws {
        let store = try SQLiteStore(path: nil)
        try await InProcessServer.with(try InProcessServer.makeReservoir(store: store)) { api, _ in
            let t = try await Fixture.setUp(api)
            let before = try await api.post("/v1/estimates", token: t.alice, json: ["kind": "training", "parameters": 7e9, "tokens": 20e9, "model": "A100-80GB", "gpus": 8])
            let published = try #require(((before.object["training"] as? [String: Any])?["calibration"] as? [String: Any]))
            #expect(published["actuals"] as? Int == 0 && published["runs"] as? Int == 3, "\(published)")

            try Self.recordFinishedRun(store)
            let after = try await api.post("/v1/estimates", token: t.alice, json: ["kind": "training", "parameters": 7e9, "tokens": 20e9, "model": "A100-80GB", "gpus": 8])
            let calibration = try #require(((after.object["training"] as? [String: Any])?["calibration"] as? [String: Any]), "\(after.text)")
            #expect(calibration["actuals"] as? Int == 1 && calibration["runs"] as? Int == 4, "\(calibration)")
            let error = try #require(calibration["meanAbsolutePercentError"] as? Double)
            print("calibration from actuals over HTTP: A100-80GB with 1 recorded actual: efficiency \(calibration["efficiency"] ?? "?"), error \(error) % (published only: \(published["meanAbsolutePercentError"] ?? "?") %)")
            #expect(error != published["meanAbsolutePercentError"] as? Double)
            #expect(abs((calibration["efficiency"] as? Double ?? 0) - 0.38) < 0.02, "between Llama 2's 0.41 and this run's 0.31")

            let form = try String(contentsOf: Executable.packageRoot.appendingPathComponent("examples/request-training-l2.yaml"), encoding: .utf8)
            let submitted = try await api.send(.POST, "/v1/requests", token: t.alice, body: form, contentType: "application/yaml")
            #expect(submitted.status == 201, "\(submitted.text)")
            let estimate = try #require(((submitted.object["request"] as? [String: Any])?["estimate"] as? [String: Any]), "\(submitted.text)")
            #expect(abs((estimate["calibrationError"] as? Double ?? 0) - error / 100) < 1e-9, "\(estimate)")
        }
    }
}
