import Foundation
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import Testing

/// Priority rules and explanations over HTTP: P3 is always preemptible, the emergency approver
/// raises any tenant's job to P0, jobs that could never run are refused naming the limit, and a
/// member hears of other tenants' jobs by class only.
@Suite("End to end: priority rules, never-runnable jobs and what explanations reveal")
struct PriorityRulesTests {
    @Test("P3 is always preemptible; the emergency approver raises another tenant's job to P0 and nothing else")
    func p3AndP0Rules() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            var pinned = Fixture.job("pinned", priority: "P3")
            pinned["preemptible"] = false
            let refused = try await api.post("/v1/jobs", token: t.alice, json: pinned)
            #expect(refused.status == 422 && refused.errorField == "preemptible", "\(refused.text)")
            let p3 = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("best-effort", runtime: 1_000_000, priority: "P3"))
            #expect(p3.status == 201 && p3.object["preemptible"] as? Bool == true, "\(p3.text)")

            // A P1 job lowered to P3 becomes preemptible.
            let p1 = try await api.post("/v1/jobs", token: t.bob, json: Fixture.job("steady", runtime: 1_000_000, priority: "P1"))
            let p1ID = try #require(p1.object["id"] as? String, "\(p1.text)")
            #expect(p1.object["preemptible"] as? Bool == false)
            let lowered = try await api.send(.PATCH, "/v1/jobs/\(p1ID)", token: t.bob, body: #"{"priority": "P3"}"#)
            #expect(lowered.status == 200 && lowered.object["preemptible"] as? Bool == true, "\(lowered.text)")

            // The emergency approver belongs to no tenant, yet may raise bob's job to P0 (and to nothing else).
            let user = try await api.post("/v1/users", token: Fixture.operatorToken, json: ["id": "eve", "roles": ["emergency-approver"]])
            #expect(user.status == 201, "\(user.text)")
            let token = try #require(try await api.post("/v1/tokens", token: Fixture.operatorToken, json: ["user": "eve"]).object["token"] as? String)
            let p1Only = try await api.send(.PATCH, "/v1/jobs/\(p1ID)", token: token, body: #"{"priority": "P1"}"#)
            #expect(p1Only.status == 404, "only P0 is the approver's to set: \(p1Only.text)")
            let byMember = try await api.send(.PATCH, "/v1/jobs/\(p1ID)", token: t.alice, body: #"{"priority": "P0"}"#)
            #expect(byMember.status == 404, "\(byMember.text)")
            let raised = try await api.send(.PATCH, "/v1/jobs/\(p1ID)", token: token, body: #"{"priority": "P0"}"#)
            #expect(raised.status == 200 && raised.object["priority"] as? String == "P0", "\(raised.text)")
            let audit = try await api.get("/v1/audit?object=jobs/\(p1ID)", token: Fixture.operatorToken).array
            #expect(audit.contains { $0["action"] as? String == "job.priority" && ($0["actor"] as? String ?? "").contains("eve") })
        }
    }

    @Test("a gang larger than its pool, a replica no node could hold, a request above the tenant's limit: 422 naming what limits it")
    func neverRunnableJobsAreRefused() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api, alphaQuota: (2, 16))
            // Pool p1: two nodes of 4 A100-80GB, 32 cores, 256 GiB.
            let gang = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("gang", gpus: 4, replicas: 3))
            #expect(gang.status == 422 && gang.errorField == "minMembers" && gang.text.contains("at most 2"), "\(gang.text)")

            var cpu = Fixture.job("cpu-bound")
            cpu["request"] = ["gpus": 1, "cpuMilli": 96_000, "memoryMiB": 1024]
            let wide = try await api.post("/v1/jobs", token: t.alice, json: cpu)
            #expect(wide.status == 422, "\(wide.text)")
            #expect(wide.text.contains("needs 96 CPU cores per replica; the largest node in pool p1 has 32"), "\(wide.text)")
            #expect(!wide.text.contains("GPUs"), "the GPUs are not what limits it: \(wide.text)")

            let t4 = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("t4", models: "T4"))
            #expect(t4.status == 422 && t4.text.contains("needs T4; pool p1 has A100-80GB"), "\(t4.text)")

            let fat = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("fat", gpus: 5))
            #expect(fat.status == 422 && fat.text.contains("needs 5 GPUs per replica; the largest node in pool p1 has 4"), "\(fat.text)")

            // Beta's limit is 6 GPUs: an 8-GPU gang is refused naming it.
            let over = try await api.post("/v1/jobs", token: t.bob, json: Fixture.job("over", gpus: 4, replicas: 2))
            #expect(over.status == 422 && over.text.contains("limit") && over.text.contains("6 GPUs"), "\(over.text)")
        }
    }

    @Test("a member's explain names another tenant's job by class, never by id; the operator sees the id")
    func explanationsHideOtherTenantsJobs() async throws {
        let engine = SimulatedEngine(nodes: [], speed: 1, clock: { Date().timeIntervalSince1970 })
        let reservoir = Reservoir(
            store: try SQLiteStore(path: nil), engine: engine,
            configuration: .init(cycleInterval: 0.05, preemptionGraceSeconds: 3), logger: InProcessServer.quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        try await InProcessServer.with(reservoir) { api, _ in
            let t = try await Fixture.setUp(api, alphaQuota: (0, 8), betaQuota: (0, 8))
            let low = try await api.post("/v1/jobs", token: t.bob, json: Fixture.job("low", gpus: 4, replicas: 2, runtime: 100_000, priority: "P3"))
            let lowID = try #require(low.object["id"] as? String, "\(low.text)")
            _ = try await api.waitForJob(lowID, token: t.bob) { $0 == "running" }

            let urgent = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("urgent", gpus: 4, runtime: 1, priority: "P1"))
            let urgentID = try #require(urgent.object["id"] as? String, "\(urgent.text)")
            // During the victim's grace period the preemptor waits, saying whom it evicts.
            var told = try await api.get("/v1/jobs/\(urgentID)/explain", token: t.alice)
            let deadline = Date().addingTimeInterval(5)
            while told.object["kind"] as? String != "preempting", Date() < deadline {
                try await Task.sleep(nanoseconds: 20_000_000)
                told = try await api.get("/v1/jobs/\(urgentID)/explain", token: t.alice)
            }
            #expect(told.object["kind"] as? String == "preempting", "\(told.text)")
            #expect(!told.text.contains(lowID) && told.text.contains("a P3 job of another tenant"), "\(told.text)")
            let shown = try await api.get("/v1/jobs/\(urgentID)", token: t.alice)
            #expect(!shown.text.contains(lowID), "\(shown.text)")
            let operatorView = try await api.get("/v1/jobs/\(urgentID)/explain", token: Fixture.operatorToken)
            #expect(operatorView.text.contains(lowID), "operators may see ids: \(operatorView.text)")
            _ = try await api.send(.POST, "/v1/jobs/\(lowID)/cancel", token: t.bob)
        }
    }
}
