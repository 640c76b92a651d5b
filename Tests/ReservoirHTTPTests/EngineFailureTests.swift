import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import Testing

/// An engine failure after the store changed (Slurm down during a cancel or a resize) must not turn
/// into a 500: the intent is durable, the answer says the engine has not confirmed, and reconciliation
/// retries the call. Engines that cannot resize never see elastic resizes.
@Suite("Engine failures after commit", .serialized)
struct EngineFailureTests {
    static func reservoir(_ engine: any ExecutionEngine) throws -> Reservoir {
        var configuration = Reservoir.Configuration(cycleInterval: 0.1)
        configuration.reconcileInterval = 0.3
        configuration.preemptionGraceSeconds = 0
        let reservoir = Reservoir(store: try SQLiteStore(path: nil), engine: engine, configuration: configuration, logger: InProcessServer.quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        return reservoir
    }

    @Test("cancel while the engine is down: 200, the job stays marked and keeps its devices; reconciliation cancels it later")
    func cancelWhileEngineDown() async throws {
        let engine = SwitchedEngine()
        try await InProcessServer.with(try Self.reservoir(engine)) { api, reservoir in
            let t = try await Fixture.setUp(api)
            let submitted = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("long", gpus: 2, runtime: 360_000))
            let id = try #require(submitted.object["id"] as? String)
            #expect(try await api.waitForJob(id, token: t.alice) { $0 == "running" }.final == "running")

            engine.down = true
            let answer = try await api.send(.POST, "/v1/jobs/\(id)/cancel", token: t.alice)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.object["state"] as? String == "running")
            #expect(answer.object["pendingEngineCall"] as? String == "cancel")
            #expect((answer.object["message"] as? String ?? "").contains("the engine has not confirmed yet"), "\(answer.text)")
            // Still marked after reconciliation tried (and failed) again; the devices stay booked.
            try await Task.sleep(nanoseconds: 800_000_000)
            let marked = try await api.get("/v1/jobs/\(id)", token: t.alice)
            #expect(marked.object["state"] as? String == "running")
            #expect(marked.object["pendingEngineCall"] as? String == "cancel")
            #expect(try reservoir.store.deviceBookings().count == 2)

            engine.down = false
            #expect(try await api.waitForJob(id, token: t.alice) { $0 == "cancelled" }.final == "cancelled")
            let done = try await api.get("/v1/jobs/\(id)", token: t.alice)
            #expect(done.object["pendingEngineCall"] == nil)
            #expect(done.object["message"] as? String == "cancel requested by user:alice", "\(done.text)")
            #expect(try await engine.inner.status(JobID(id)).phase == .cancelled)
            #expect(try reservoir.store.deviceBookings().isEmpty)
        }
    }

    /// Alpha (no guarantee) runs an elastic P3 job of 4 × 1 GPU (at least 2); beta's P1 job of
    /// 6 × 1 GPU then needs two of its replicas on the 8-GPU pool.
    static func elasticSqueeze(_ api: API) async throws -> (elastic: String, urgent: String, tenancy: Fixture.Tenancy) {
        let t = try await Fixture.setUp(api, alphaQuota: (0, 8), betaQuota: (8, 8))
        var elastic = Fixture.job("elastic", gpus: 1, replicas: 4, runtime: 360_000, priority: "P3")
        elastic["minMembers"] = 2
        let e = try await api.post("/v1/jobs", token: t.alice, json: elastic)
        let elasticID = try #require(e.object["id"] as? String, "\(e.text)")
        #expect(try await api.waitForJob(elasticID, token: t.alice) { $0 == "running" }.final == "running")
        let u = try await api.post("/v1/jobs", token: t.bob, json: Fixture.job("urgent", gpus: 1, replicas: 6, runtime: 360_000, priority: "P1"))
        return (elasticID, try #require(u.object["id"] as? String, "\(u.text)"), t)
    }

    @Test("a shrink the engine fails to apply is marked and retried by reconciliation; the urgent job runs")
    func resizeWhileEngineDown() async throws {
        let engine = SwitchedResizingEngine()
        try await InProcessServer.with(try Self.reservoir(engine)) { api, reservoir in
            engine.down = true
            let (elastic, urgent, t) = try await Self.elasticSqueeze(api)
            #expect(try await api.waitForJob(urgent, token: t.bob) { $0 == "running" }.final == "running")
            let shrunk = try await api.get("/v1/jobs/\(elastic)", token: t.alice)
            #expect(shrunk.object["replicas"] as? Int == 2)
            #expect(shrunk.object["pendingEngineCall"] as? String == "resize", "\(shrunk.text)")

            engine.down = false
            let deadline = Date().addingTimeInterval(10)
            var confirmed = try await api.get("/v1/jobs/\(elastic)", token: t.alice)
            while confirmed.object["pendingEngineCall"] != nil, Date() < deadline {
                try await Task.sleep(nanoseconds: 50_000_000)
                confirmed = try await api.get("/v1/jobs/\(elastic)", token: t.alice)
            }
            #expect(confirmed.object["pendingEngineCall"] == nil)
            #expect(confirmed.object["state"] as? String == "running")
            let events = try await api.get("/v1/jobs/\(elastic)/events", token: t.alice).array.compactMap { $0["kind"] as? String }
            #expect(events.contains("engine-pending") && events.contains("engine-confirmed"), "\(events)")
            _ = reservoir
        }
    }

    @Test("on an engine that cannot resize, an elastic job is never shrunk or grown: it is evicted whole")
    func noResizeOnFixedSizeEngine() async throws {
        let engine = SwitchedEngine()
        try await InProcessServer.with(try Self.reservoir(engine)) { api, _ in
            #expect(!(engine is any ResizingEngine))
            let (elastic, urgent, t) = try await Self.elasticSqueeze(api)
            #expect(try await api.waitForJob(urgent, token: t.bob, timeout: 30) { $0 == "running" }.final == "running")
            let events = try await api.get("/v1/jobs/\(elastic)/events", token: t.alice).array.compactMap { $0["kind"] as? String }
            #expect(!events.contains("resized"), "\(events)")
            #expect(events.contains("preempted"), "\(events)")
        }
    }
}
