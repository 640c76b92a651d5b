import ReservoirCore
import Testing

/// Feasibility (SPEC §5.3): the water level measured from inventory, jobs and grants, and the verdicts
/// fits now / must queue (with an estimated start) / must shrink (with what fits) / refused.
@Suite struct FeasibilityCheckTests {
    static let now = 1_000_000.0

    /// Pool `train` (two 8 × A100-80GB nodes, 1/8 dynamic reserve) and pool `reserve` (one 8 × H100 node, the strategic reserve).
    static func inventory() -> Inventory {
        func node(_ id: String, pool: String, model: String) -> Node {
            Node(id: NodeID(id), pool: PoolID(pool), cpuMilli: 64_000, memoryMiB: 512_000,
                 devices: (0..<8).map { Device(node: NodeID(id), index: $0, model: model, memoryMiB: 81_920) })
        }
        return Inventory(
            pools: [Pool(id: "train", cluster: "c", sharing: .exclusive, reservedFraction: 0.125), Pool(id: "reserve", cluster: "c", sharing: .exclusive)],
            nodes: [node("n0", pool: "train", model: "A100-80GB"), node("n1", pool: "train", model: "A100-80GB"), node("r0", pool: "reserve", model: "H100-80GB")])
    }

    /// A job of `tenant` running on `gpus` devices of `node` since `started` for `runtime` seconds.
    static func running(_ id: String, tenant: String = "other", node: String = "n0", gpus: Int, from first: Int = 0, started: Double = now - 3_600,
                        runtime: Double? = 7_200, priority: PriorityClass = .p2, preemptible: Bool = true, grant: GrantID? = nil) -> Job {
        var job = Job(id: JobID(id), name: id, tenant: TenantID(tenant), submittedBy: "u", pool: node.hasPrefix("r") ? "reserve" : "train",
                      request: ResourceRequest(gpus: gpus), priority: priority, preemptible: preemptible, runtimeSeconds: runtime, state: .running)
        job.startedAt = started
        job.grant = grant
        job.placements = [ReplicaPlacement(replica: 0, node: NodeID(node), deviceIndices: Array(first..<(first + gpus)), gpuMilli: 1000, cpuMilli: 1000, memoryMiB: 1024)]
        return job
    }

    static func check(jobs: [Job] = [], grants: [Grant] = [], share: Double = 1) -> FeasibilityCheck {
        FeasibilityCheck(
            gauge: WaterLevelGauge(inventory: inventory(), catalog: .standard, jobs: jobs, grants: grants, strategicReservePools: ["reserve"], at: now),
            forbiddenOnStrategicReserve: [.research], maxTenantShare: share)
    }

    static func demand(_ gpus: Int, pool: PoolID? = "train", model: String? = "A100-80GB", category: RequestCategory = .fineTuning, emergency: Bool = false) -> ResourceDemand {
        ResourceDemand(tenant: "t", terms: AllocationTerms(pool: pool, model: model, gpus: gpus, durationHours: 24), category: category, emergency: emergency)
    }

    @Test("Water level: total, allocated, dynamic reserve + unused grant promise, free, queued; failed devices are unavailable")
    func waterLevel() throws {
        var inventory = Self.inventory()
        inventory.nodes[1].devices[7].state = .failed
        var queued = Job(id: "q", name: "q", tenant: "other", submittedBy: "u", pool: "train", replicas: 2, request: ResourceRequest(gpus: 4))
        queued.state = .queued
        let grant = Grant(id: "g1", request: "r1", tenant: "t", pool: "train", model: "A100-80GB", gpuMilli: 4_000, priority: .p2, category: .fineTuning,
                          startsAt: Self.now - 10, endsAt: Self.now + 3_600, access: GrantAccess(engine: "simulated", account: "t", partition: "train", qos: "P2", queue: "train", instructions: ""),
                          createdAt: Self.now - 10, approvedBy: "system:auto-approval")
        let jobs = [Self.running("a", gpus: 4), Self.running("b", tenant: "t", node: "n1", gpus: 1, grant: "g1"), queued]
        let gauge = WaterLevelGauge(inventory: inventory, catalog: .standard, jobs: jobs, grants: [grant], strategicReservePools: ["reserve"], at: Self.now)
        let train = try #require(gauge.levels.first { $0.pool == "train" })
        #expect(train.total == 16 && train.unavailable == 1 && train.allocated == 5)
        #expect(train.dynamicReserve == 2)  // ceil(15 usable × 0.125)
        #expect(train.reserved == 2 + 3)  // the grant's 4 GPUs less the 1 its job uses
        #expect(train.free == 15 - 5 - 5)
        #expect(train.queued == 8)
        #expect(train.preemptible == 5)
        #expect(gauge.holdings["t"]?["train"] == 1 + 3)
        let reserve = try #require(gauge.levels.first { $0.pool == "reserve" })
        #expect(reserve.strategicReserve && reserve.free == 8 && reserve.model == "H100-80GB")
    }

    @Test("Fits now when the free GPUs (dynamic reserve held back) cover it")
    func fitsNow() {
        let report = Self.check(jobs: [Self.running("a", gpus: 8)]).assess(Self.demand(6))
        #expect(report.verdict == .fitsNow)
        #expect(report.pool == "train" && report.model == "A100-80GB")
        #expect(!report.usesStrategicReserve)
    }

    @Test("Must queue, with the start when running work ends by its declared runtime, and what fits now")
    func mustQueue() throws {
        // 16 usable − 2 reserve; 8 held until now+3600 and 4 until now+7200 → 2 free.
        let jobs = [Self.running("a", gpus: 8), Self.running("b", node: "n1", gpus: 4, started: Self.now, runtime: 7_200)]
        let report = Self.check(jobs: jobs).assess(Self.demand(10))
        #expect(report.verdict == .mustQueue)
        #expect(report.estimatedStart == Self.now + 3_600)
        #expect(report.fits?.gpus == 2)
        #expect(report.message.contains("declared runtimes"))
        let later = Self.check(jobs: jobs).assess(Self.demand(14))
        #expect(later.estimatedStart == Self.now + 7_200)
    }

    @Test("Must queue without an estimate when the running work declared no runtime")
    func mustQueueUnknownEnd() {
        let report = Self.check(jobs: [Self.running("a", gpus: 8, runtime: nil)]).assess(Self.demand(10))
        #expect(report.verdict == .mustQueue && report.estimatedStart == nil)
        #expect(report.message.contains("no estimated start"))
    }

    @Test("Must shrink beyond what the pool can ever give outside the dynamic reserve; an emergency may use the reserve")
    func mustShrink() throws {
        let report = Self.check().assess(Self.demand(16))
        #expect(report.verdict == .mustShrink)
        #expect(report.fits == AllocationTerms(pool: "train", model: "A100-80GB", gpus: 14, durationHours: 24))
        let emergency = Self.check().assess(Self.demand(16, emergency: true))
        #expect(emergency.verdict == .fitsNow)
    }

    @Test("An emergency fits now by preempting lower-class preemptible work; ordinary demand must queue")
    func emergencyPreempts() {
        let jobs = [Self.running("a", gpus: 8, priority: .p3), Self.running("b", node: "n1", gpus: 8, priority: .p3)]
        #expect(Self.check(jobs: jobs).assess(Self.demand(8)).verdict == .mustQueue)
        let report = Self.check(jobs: jobs).assess(Self.demand(8, emergency: true))
        #expect(report.verdict == .fitsNow)
        #expect(report.message.contains("preempting lower classes"))
    }

    @Test("Compliance: research may not take the strategic reserve; others may, and the committee decides")
    func strategicReserve() {
        let research = Self.check().assess(Self.demand(4, pool: "reserve", model: nil, category: .research))
        #expect(research.verdict == .refused)
        #expect(research.violations.first?.contains("strategicReserveForbiddenCategories") == true)
        let l1 = Self.check().assess(Self.demand(4, pool: "reserve", model: nil, category: .largeModel))
        #expect(l1.verdict == .fitsNow && l1.usesStrategicReserve)
    }

    @Test("Without a pool, ordinary pools are preferred to the strategic reserve; the reserve answers only what nothing else can")
    func choosesPool() {
        let any = Self.check().assess(Self.demand(4, pool: nil, model: nil))
        #expect(any.pool == "train" && !any.usesStrategicReserve)
        #expect(any.waterLevel.count == 2)
        let h100 = Self.check().assess(Self.demand(4, pool: nil, model: "H100-80GB", category: .research))
        #expect(h100.verdict == .refused)
    }

    @Test("Compliance: the tenant share caps what one tenant holds; beyond it must shrink, up to it queues behind the tenant's own work")
    func tenantShare() {
        // Pool train has 16 GPUs; a 50 % share is 8.
        let tooBig = Self.check(share: 0.5).assess(Self.demand(10))
        #expect(tooBig.verdict == .mustShrink && tooBig.fits?.gpus == 8)
        #expect(tooBig.violations.first?.contains("maxTenantShare") == true)
        let holding = [Self.running("mine", tenant: "t", gpus: 6)]
        let waits = Self.check(jobs: holding, share: 0.5).assess(Self.demand(4))
        #expect(waits.verdict == .mustQueue && waits.fits?.gpus == 2)
        let none = Self.check(share: 0).assess(Self.demand(1))
        #expect(none.verdict == .refused)
    }

    @Test("A model the pool lacks is refused, naming it")
    func missingModel() {
        let report = Self.check().assess(Self.demand(1, pool: "train", model: "H100-80GB"))
        #expect(report.verdict == .refused)
        #expect(report.message.contains("no H100-80GB GPUs in pool train"))
    }
}
