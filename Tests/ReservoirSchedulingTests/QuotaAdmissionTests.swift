import ReservoirCore
import ReservoirScheduling
import Testing

/// One pool `p` of `nodes` 8-GPU A100 nodes.
private func snapshot(nodes: Int = 2, quotas: [Quota], active: [Job] = [], pending: [Job], reserved: Double = 0) -> SchedulingSnapshot {
    let inventory = (0..<nodes).map { i -> Node in
        let id = NodeID("n\(i)")
        return Node(id: id, pool: "p", cpuMilli: 64_000, memoryMiB: 512_000, devices: (0..<8).map { Device(node: id, index: $0, model: "A100-80GB", memoryMiB: 81_920) })
    }
    return SchedulingSnapshot(
        now: 100, pools: [Pool(id: "p", cluster: "c", reservedFraction: reserved)], nodes: inventory,
        tenants: [Tenant(id: "a"), Tenant(id: "b")], quotas: quotas, active: active, pending: pending)
}

private func job(
    _ id: String, tenant: String = "a", gpus: Int, replicas: Int = 1, priority: PriorityClass = .p2, at: Double = 0, models: [String] = [],
    preemptible: Bool = true
) -> Job {
    Job(id: JobID(id), name: id, tenant: TenantID(tenant), submittedBy: "u", pool: "p", replicas: replicas,
        request: ResourceRequest(gpus: gpus, cpuMilli: 1000, memoryMiB: 1024, models: models), priority: priority, preemptible: preemptible,
        submittedAt: at)
}

private func quota(_ tenant: String, guaranteed: Int, limit: Int) -> Quota {
    Quota(tenant: TenantID(tenant), pool: "p", guaranteedMilli: guaranteed * 1000, limitMilli: limit * 1000)
}

@Suite("First cycle: quota admission, placement, reasons")
struct QuotaAdmissionTests {
    let cycle = SchedulingCycle()

    @Test func withinLimitIsPlaced() {
        let result = cycle.run(snapshot(quotas: [quota("a", guaranteed: 8, limit: 16)], pending: [job("j1", gpus: 8)]))
        #expect(result.decisions.map(\.job) == ["j1"])
        #expect(result.decisions[0].placements[0].deviceIndices == Array(0..<8))
    }

    @Test func overLimitWaitsWithQuotaReason() {
        let result = cycle.run(snapshot(quotas: [quota("a", guaranteed: 4, limit: 8)], pending: [job("big", gpus: 8, replicas: 2)]))
        #expect(result.decisions.isEmpty)
        #expect(result.waiting["big"]?.kind == "quota")
        #expect(result.waiting["big"]?.message.contains("limit") == true)
    }

    @Test func noQuotaInPoolWaitsWithQuotaReason() {
        let result = cycle.run(snapshot(quotas: [], pending: [job("j", gpus: 1)]))
        #expect(result.waiting["j"]?.kind == "quota")
    }

    @Test func nonPreemptibleWorkNeverBorrowsCapacityOwedToAnotherTenantsGuarantee() {
        // 16 GPUs; b is guaranteed 8 and uses none, so a's non-preemptible work may take at most 8 in total
        // (preemptible work may borrow it: it can be reclaimed).
        let quotas = [quota("a", guaranteed: 0, limit: 16), quota("b", guaranteed: 8, limit: 16)]
        let result = cycle.run(snapshot(quotas: quotas, pending: [job("a1", gpus: 8, preemptible: false), job("a2", gpus: 8, at: 1, preemptible: false)]))
        #expect(result.decisions.map(\.job) == ["a1"])
        #expect(result.waiting["a2"]?.kind == "quota")
        #expect(result.waiting["a2"]?.message.contains("owed") == true)
    }

    @Test("a tenant's own lower-class borrowers do not make its non-preemptible P1 job a quota case: it preempts them")
    func ownBorrowersAreNotADebtToOthers() {
        // a is guaranteed 8 of 16 and borrows the other 8 with P3 work on both nodes; nobody else is owed anything.
        let running = (0..<2).map { i -> Job in
            var j = job("low\(i)", gpus: 8, priority: .p3, at: Double(i))
            j.state = .running
            j.startedAt = 50
            j.placements = [ReplicaPlacement(replica: 0, node: NodeID("n\(i)"), deviceIndices: Array(0..<8), gpuMilli: 1000, cpuMilli: 1000, memoryMiB: 1024)]
            return j
        }
        let urgent = job("urgent", gpus: 8, priority: .p1, at: 10, preemptible: false)
        let result = cycle.run(snapshot(quotas: [quota("a", guaranteed: 8, limit: 24)], active: running, pending: [urgent]))
        #expect(result.waiting["urgent"]?.kind != "quota", "\(String(describing: result.waiting["urgent"]))")
        #expect(result.evictions.count == 1, "one P3 borrower makes room: \(result.evictions.map(\.job))")
    }

    @Test func ownerGetsItsGuaranteeWhileOthersBorrowOnlyTheRest() {
        let quotas = [quota("a", guaranteed: 0, limit: 16), quota("b", guaranteed: 8, limit: 16)]
        let result = cycle.run(snapshot(quotas: quotas, pending: [job("a1", gpus: 8), job("b1", tenant: "b", gpus: 8, at: 1)]))
        #expect(Set(result.decisions.map(\.job)) == ["a1", "b1"])
    }

    @Test func gangIsAllOrNothingAndSaysHowManyFit() {
        // Three 8-GPU replicas on two nodes: none may start.
        let result = cycle.run(snapshot(quotas: [quota("a", guaranteed: 24, limit: 24)], pending: [job("gang", gpus: 8, replicas: 3)]))
        #expect(result.decisions.isEmpty)
        #expect(result.waiting["gang"]?.kind == "gang")
        #expect(result.waiting["gang"]?.message.contains("2 of 3 replicas") == true)
    }

    @Test func capacityReasonCountsNodes() {
        let running = { () -> Job in
            var j = job("r", gpus: 8, replicas: 2)
            j.state = .running
            j.placements = (0..<2).map { ReplicaPlacement(replica: $0, node: NodeID("n\($0)"), deviceIndices: Array(0..<8), gpuMilli: 1000, cpuMilli: 1000, memoryMiB: 1024) }
            return j
        }()
        let result = cycle.run(snapshot(quotas: [quota("a", guaranteed: 32, limit: 32)], active: [running], pending: [job("w", gpus: 1)]))
        #expect(result.waiting["w"]?.kind == "capacity")
        #expect(result.waiting["w"]?.message == "0/2 nodes available: 2 insufficient GPU")
    }

    @Test func modelConstraintThatNoNodeMeetsIsAConstraint() {
        let result = cycle.run(snapshot(quotas: [quota("a", guaranteed: 8, limit: 8)], pending: [job("h", gpus: 1, models: ["H100-80GB"])]))
        #expect(result.waiting["h"]?.kind == "constraint")
    }

    @Test func higherClassGoesFirst() {
        let quotas = [quota("a", guaranteed: 8, limit: 8)]
        let result = cycle.run(snapshot(nodes: 1, quotas: quotas, pending: [job("low", gpus: 8, priority: .p3, at: 0), job("high", gpus: 8, priority: .p1, at: 5)]))
        #expect(result.decisions.map(\.job) == ["high"])
    }

    @Test func dynamicReserveIsForEmergenciesOnly() {
        // 16 GPUs with a 50 % reserve: a P2 job of 16 waits, a P0 job of 16 runs.
        let quotas = [quota("a", guaranteed: 16, limit: 16)]
        let p2 = cycle.run(snapshot(quotas: quotas, pending: [job("std", gpus: 8, replicas: 2)], reserved: 0.5))
        #expect(p2.decisions.isEmpty)
        let p0 = cycle.run(snapshot(quotas: quotas, pending: [job("emergency", gpus: 8, replicas: 2, priority: .p0)], reserved: 0.5))
        #expect(p0.decisions.map(\.job) == ["emergency"])
    }
}
