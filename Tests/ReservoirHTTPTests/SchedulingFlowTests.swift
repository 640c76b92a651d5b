import Foundation
import ReservoirEngine
import ReservoirHTTP
import ReservoirServices
import ReservoirStore
import Testing

/// The scheduling story over HTTP on the simulated engine: a job waits and says why, its class is
/// raised, it preempts lower work, which gets its grace, is requeued with its progress and runs again.
@Suite("End to end: explain, priority change, preemption with grace and requeue")
struct SchedulingFlowTests {
    @Test("raising a waiting job's class lets it preempt lower-class work; the victim is evicted after its grace and requeued with progress kept")
    func priorityChangeTriggersPreemptionWithGraceAndRequeue() async throws {
        let grace = 0.5
        let engine = SimulatedEngine(nodes: [], speed: 1, clock: { Date().timeIntervalSince1970 })
        let reservoir = Reservoir(
            store: try SQLiteStore(path: nil), engine: engine,
            configuration: .init(cycleInterval: 0.05, preemptionGraceSeconds: grace), logger: InProcessServer.quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        try await InProcessServer.with(reservoir) { api, _ in
            // No guarantees: both tenants borrow, so nothing is reclaimed and only class decides.
            let t = try await Fixture.setUp(api, alphaQuota: (0, 8), betaQuota: (0, 8))

            // Beta's best-effort gang fills both nodes (4 + 4 of 8 GPUs).
            let low = try await api.post("/v1/jobs", token: t.bob, json: Fixture.job("low", gpus: 4, replicas: 2, runtime: 100_000, priority: "P3"))
            let lowID = try #require(low.object["id"] as? String, "\(low.text)")
            let (lowState, _) = try await api.waitForJob(lowID, token: t.bob) { $0 == "running" }
            #expect(lowState == "running")

            // Alpha's job of the same class may not preempt it: it waits, and explain says why.
            var urgent = Fixture.job("urgent", gpus: 4, runtime: 1, priority: "P3")
            urgent["preemptible"] = true  // borrowed capacity is only lent to preemptible work
            let waiting = try await api.post("/v1/jobs", token: t.alice, json: urgent)
            let urgentID = try #require(waiting.object["id"] as? String, "\(waiting.text)")
            try await Task.sleep(nanoseconds: 300_000_000)
            let why = try await api.get("/v1/jobs/\(urgentID)/explain", token: t.alice)
            #expect(why.object["state"] as? String == "queued", "\(why.text)")
            #expect(why.object["kind"] as? String == "capacity", "\(why.text)")
            #expect(!(why.object["message"] as? String ?? "").isEmpty)
            let before = try await api.get("/v1/jobs/\(lowID)/events", token: t.bob).array.compactMap { $0["kind"] as? String }
            #expect(before == ["submitted", "admitted", "running"], "equal-class work is never preempted: \(before)")

            // Raising it to P1 (a member may, for its own tenant's job) makes room by preempting the P3 gang.
            let raised = try await api.send(.PATCH, "/v1/jobs/\(urgentID)", token: t.alice, body: #"{"priority": "P1"}"#)
            #expect(raised.status == 200, "\(raised.text)")
            #expect(raised.object["priority"] as? String == "P1")
            let raisedAt = Date()
            let (urgentFinal, urgentSeen) = try await api.waitForJob(urgentID, token: t.alice, timeout: 20) { $0 == "succeeded" }
            #expect(urgentFinal == "succeeded", "urgent went \(urgentSeen)")

            // The victim got its grace before eviction, was requeued with its progress, and runs again.
            let events = try await api.get("/v1/jobs/\(lowID)/events", token: t.bob).array
            let kinds = events.compactMap { $0["kind"] as? String }
            #expect(kinds.contains("preempted"), "\(kinds)")
            let preemptedAt = events.first { $0["kind"] as? String == "preempted" }?["at"] as? Double ?? 0
            #expect(preemptedAt - raisedAt.timeIntervalSince1970 >= grace * 0.9, "evicted only after the grace period: raised at \(raisedAt.timeIntervalSince1970) \(events)")
            let (again, _) = try await api.waitForJob(lowID, token: t.bob, timeout: 20) { $0 == "running" }
            #expect(again == "running", "the victim was requeued and runs again")
            let victim = try await api.get("/v1/jobs/\(lowID)", token: t.bob)
            #expect(victim.object["progressSeconds"] as? Double ?? 0 > 0, "progress kept: \(victim.text)")

            // Both changes are in the audit log, attributed.
            let audit = try await api.get("/v1/audit?object=jobs/\(urgentID)", token: Fixture.operatorToken).array
            #expect(audit.contains { $0["action"] as? String == "job.priority" && ($0["actor"] as? String ?? "").contains("alice") }, "\(audit.map { $0["action"] ?? "" })")
            let victimAudit = try await api.get("/v1/audit?object=jobs/\(lowID)", token: Fixture.operatorToken).array
            #expect(victimAudit.contains { ($0["action"] as? String ?? "").contains("preempt") }, "\(victimAudit.map { $0["action"] ?? "" })")
            _ = try await api.send(.POST, "/v1/jobs/\(lowID)/cancel", token: t.bob)
        }
    }
}
