import ReservoirCore
import ReservoirScheduling
import Testing

/// What a waiting job is told by the cycle: each sentence once, and "can never run unless …"
/// when only a quota change could let it start.
@Suite("Scheduling: pending reasons say each thing once and when a job can never run")
struct ExplanationScenarios {
    @Test("a `*` quota refusing a pool of two models says so once, and that the limit must be raised")
    func quotaReasonOnceAndNeverUnless() throws {
        let nodes = [Fixture.node("a", gpus: 4), Fixture.node("b", gpus: 4, model: "H100-80GB")]
        let quota = Quota(tenant: "t1", pool: Fixture.pool, guaranteedMilli: 1_000, limitMilli: 2_000)
        let r = SchedulingCycle(configuration: Fixture.config())
            .run(Fixture.snapshot(nodes: nodes, pending: [Fixture.job("big", gpus: 3)], quotas: [quota], tenants: ["t1"]))
        let reason = try #require(r.waiting["big"])
        #expect(reason.kind == PendingKind.quota)
        #expect(reason.message.contains("can never run unless tenant t1's limit in pool p is raised"), "\(reason.message)")
        #expect(reason.message.components(separatedBy: "can never run").count == 2, "said once: \(reason.message)")
    }
}
