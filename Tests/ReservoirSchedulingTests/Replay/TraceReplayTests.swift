import ReservoirCore
import ReservoirScheduling
import Testing
import ReservoirTestSupport

@Suite struct TraceReplayTests {
    @Test("the documented example: eviction with grace, requeue with progress kept, restart")
    func graceAndRequeue() {
        let jobs = [
            Fixture.job("a", gpus: 2, priority: .p3, at: 0),
            Fixture.job("b", tenant: "t2", gpus: 2, priority: .p1, at: 10),
        ]
        let workload = ReplayWorkload(
            pool: Pool(id: Fixture.pool, cluster: "c"), nodes: [Fixture.node("n1", gpus: 2)],
            tenants: [Tenant(id: "t1"), Tenant(id: "t2")],
            quotas: ["t1", "t2"].map { Quota(tenant: TenantID($0), pool: Fixture.pool, guaranteedMilli: 0, limitMilli: 2_000) },
            jobs: jobs, runtimes: ["a": 100, "b": 100]
        )
        // The 30 s grace covers a 20 s checkpoint: a keeps its 40 s of progress and needs 60 s more.
        let report = TraceReplay(scheduler: Fixture.config(grace: 30), checkpointCostSeconds: 20).run(workload)
        #expect(report.completed == 2)
        #expect(report.preemptions == 1)
        #expect(report.lostGPUHours == 0)
        #expect(report.waitSeconds["P1"]?.p50 == 30)
        #expect(report.virtualSeconds == 200)
    }

    @Test("openb default trace, first 80 pods, replays to completion")
    func openbPrefix() throws {
        guard let nodesCSV = try SharedData.text("data/openb/openb_node_list_gpu_node.csv"),
              let podsCSV = try SharedData.text("data/openb/openb_pod_list_default.csv") else { return }
        let nodes = try OpenbTrace.parseNodes(csv: nodesCSV)
        let pods = Array(try OpenbTrace.parsePods(csv: podsCSV).sorted { ($0.creationTime ?? 0) < ($1.creationTime ?? 0) }.prefix(80))
        let workload = try ReplayWorkload.openb(nodes: nodes, pods: pods, tenants: 4)
        #expect(Set(workload.jobs.map(\.tenant)).count == 4)
        let report = TraceReplay().run(workload)
        #expect(report.completed == 80)
        #expect(report.gpuAllocationMean > 0 && report.gpuAllocationMean <= 1)
        #expect(report.jainFairness > 0 && report.jainFairness <= 1)
        #expect(report.waitSeconds["P1"] != nil)
    }

    @Test("qos maps to classes as documented")
    func qosMapping() {
        #expect(ReplayWorkload.priority(qos: "LS") == .p1)
        #expect(ReplayWorkload.priority(qos: "Guaranteed") == .p1)
        #expect(ReplayWorkload.priority(qos: "Burstable") == .p2)
        #expect(ReplayWorkload.priority(qos: "BE") == .p3)
        #expect(ReplayWorkload.priority(qos: nil) == .p3)
    }
}

extension TraceReplayTests {
    @Test("a grace shorter than the checkpoint cost loses the work since the last checkpoint")
    func hardEvictionLosesWork() {
        let workload = ReplayWorkload(
            pool: Pool(id: Fixture.pool, cluster: "c"), nodes: [Fixture.node("n1", gpus: 2)],
            tenants: [Tenant(id: "t1"), Tenant(id: "t2")],
            quotas: ["t1", "t2"].map { Quota(tenant: TenantID($0), pool: Fixture.pool, guaranteedMilli: 0, limitMilli: 2_000) },
            jobs: [Fixture.job("a", gpus: 2, priority: .p3, at: 0), Fixture.job("b", tenant: "t2", gpus: 2, priority: .p1, at: 10)],
            runtimes: ["a": 100, "b": 100]
        )
        let report = TraceReplay(scheduler: Fixture.config(grace: 0)).run(workload)
        #expect(report.preemptions == 1)
        #expect(abs(report.lostGPUHours - 20.0 / 3_600) < 1e-9) // 10 s on 2 GPUs
        #expect(report.virtualSeconds == 210)
    }
}
