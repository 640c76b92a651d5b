import ReservoirCore
import ReservoirScheduling
import Testing

/// A pool's sharing mode in the cycle: MIG instances by the model's geometry on MIG-mode GPUs,
/// shares refused by an exclusive pool, and shares' GPU memory accounted per device.
@Suite("Scheduling: pool sharing modes, MIG geometry and share memory")
struct PoolSharingScenarios {
    static func snapshot(sharing: GPUSharingMode, nodes: [Node], pending: [Job], active: [Job] = []) -> SchedulingSnapshot {
        SchedulingSnapshot(
            now: 100, pools: [Pool(id: Fixture.pool, cluster: "c", sharing: sharing)], nodes: nodes, tenants: [Tenant(id: "t1")],
            quotas: [Quota(tenant: "t1", pool: Fixture.pool, guaranteedMilli: 0, limitMilli: 100_000)],
            active: active, pending: pending, terminating: []
        )
    }

    /// A node of `gpus` A100-80GB (81920 MiB each), in MIG mode or not.
    static func node(_ id: String, gpus: Int, mig: Bool) -> Node {
        Node(
            id: NodeID(id), pool: Fixture.pool, cpuMilli: 64_000, memoryMiB: 512_000,
            devices: (0..<gpus).map { Device(node: NodeID(id), index: $0, model: "A100-80GB", memoryMiB: 81_920, migEnabled: mig) })
    }

    static func mig(_ id: String, _ profile: String, milli: Int, at: Double) -> Job {
        Job(id: JobID(id), name: id, tenant: "t1", submittedBy: "u", pool: Fixture.pool,
            request: ResourceRequest(gpus: 1, gpuMilli: milli, migProfile: profile), submittedAt: at)
    }

    static func share(_ id: String, milli: Int, gpuMemory: Int?, at: Double) -> Job {
        Job(id: JobID(id), name: id, tenant: "t1", submittedBy: "u", pool: Fixture.pool,
            request: ResourceRequest(gpus: 1, gpuMilli: milli, gpuMemoryMiB: gpuMemory), submittedAt: at)
    }

    @Test("1g.10gb and 3g.40gb share an A100-80GB in MIG mode; a second 3g.40gb breaks the geometry and waits saying so")
    func migInstancesFollowTheGeometry() throws {
        let snapshot = Self.snapshot(sharing: .mig, nodes: [Self.node("m", gpus: 1, mig: true)], pending: [
            Self.mig("big", "3g.40gb", milli: 428, at: 1), Self.mig("small", "1g.10gb", milli: 142, at: 2),
            Self.mig("late", "3g.40gb", milli: 428, at: 3),
        ])
        let r = SchedulingCycle(configuration: Fixture.config()).run(snapshot)
        let big = try #require(r.decision("big"), "\(r.waiting)")
        let small = try #require(r.decision("small"), "\(r.waiting)")
        #expect(big.placements.first?.migStartSlice == 0)
        #expect(small.placements.first?.migStartSlice == 4, "the 1g instance takes the first free slice after the 3g run")
        #expect(big.placements.first?.deviceIndices == [0] && small.placements.first?.deviceIndices == [0])
        // 3 + 1 + 3 compute slices would fit in 7, but a 3g instance starts only at slice 0 or 4.
        let late = try #require(r.waiting["late"])
        #expect(late.message.contains("no free MIG slot for the profile"), "\(late.message)")
    }

    @Test("instances already running keep their slices across cycles")
    func runningInstancesHoldTheirSlices() throws {
        var running = Self.mig("small", "1g.10gb", milli: 142, at: 1)
        running.state = .running
        running.startedAt = 0
        running.placements = [ReplicaPlacement(replica: 0, node: "m", deviceIndices: [0], gpuMilli: 142, migStartSlice: 0, cpuMilli: 1000, memoryMiB: 1024)]
        let snapshot = Self.snapshot(
            sharing: .mig, nodes: [Self.node("m", gpus: 1, mig: true)], pending: [Self.mig("big", "3g.40gb", milli: 428, at: 2)], active: [running])
        let r = SchedulingCycle(configuration: Fixture.config()).run(snapshot)
        #expect(try #require(r.decision("big"), "\(r.waiting)").placements.first?.migStartSlice == 4)
    }

    @Test("GPUs not in MIG mode take no MIG instance, and MIG-mode GPUs take no whole-GPU pod")
    func migModeSeparatesWork() throws {
        let plain = SchedulingCycle(configuration: Fixture.config())
            .run(Self.snapshot(sharing: .mig, nodes: [Self.node("n", gpus: 1, mig: false)], pending: [Self.mig("i", "1g.10gb", milli: 142, at: 1)]))
        #expect(plain.waiting["i"]?.message.contains("GPUs not in MIG mode") == true, "\(plain.waiting)")
    }

    @Test("a share queued in an exclusive pool waits, naming the pool's mode, and is never placed")
    func exclusivePoolPlacesNoShare() throws {
        let r = SchedulingCycle(configuration: Fixture.config())
            .run(Self.snapshot(sharing: .exclusive, nodes: [Self.node("n", gpus: 2, mig: false)], pending: [Self.share("half", milli: 500, gpuMemory: nil, at: 1)]))
        #expect(r.decisions.isEmpty)
        let reason = try #require(r.waiting["half"])
        #expect(reason.kind == PendingKind.constraint)
        #expect(reason.message.contains("exclusive"), "\(reason.message)")
    }

    @Test("shares' GPU memory is accounted per device: no device is promised more than it has")
    func shareMemoryIsAccountedPerDevice() throws {
        // One 80 GB GPU: two 40000 MiB shares fit; a third waits on memory although 30% of the GPU is free.
        let one = SchedulingCycle(configuration: Fixture.config()).run(Self.snapshot(
            sharing: .timeSlicing, nodes: [Self.node("n", gpus: 1, mig: false)],
            pending: (1...3).map { Self.share("s\($0)", milli: 300, gpuMemory: 40_000, at: Double($0)) }))
        #expect(Set(one.decisions.map(\.job.rawValue)) == ["s1", "s2"], "\(one.waiting)")
        #expect(one.waiting["s3"]?.message.contains("insufficient GPU memory") == true, "\(one.waiting)")

        // Two GPUs: the tightest GPU by milli lacks the memory, so the share goes to the other one.
        let two = SchedulingCycle(configuration: Fixture.config()).run(Self.snapshot(
            sharing: .timeSlicing, nodes: [Self.node("n", gpus: 2, mig: false)],
            pending: [Self.share("wide", milli: 500, gpuMemory: 60_000, at: 1), Self.share("next", milli: 400, gpuMemory: 30_000, at: 2)]))
        let wide = try #require(two.decision("wide"), "\(two.waiting)").placements[0].deviceIndices
        let next = try #require(two.decision("next"), "\(two.waiting)").placements[0].deviceIndices
        #expect(wide != next, "60000 + 30000 MiB would exceed one 81920 MiB device")
    }
}
