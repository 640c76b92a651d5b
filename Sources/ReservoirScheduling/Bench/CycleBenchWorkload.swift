import ReservoirCore

/// The snapshot `reservoir bench cycle` times: the openb inventory as one pool, 70% of its GPUs
/// held by running jobs, and `pending` waiting jobs, all drawn from a seeded generator.
///
/// Shapes follow the openb default trace's mix: 13% CPU-only, 55% GPU shares (100–900 milli),
/// 28% one whole GPU, 4% multi-GPU (2, 4 or 8; a tenth of those a 2-replica gang). Classes: 20% P1
/// (not preemptible), 30% P2, 50% P3; 8 tenants with quotas (guarantee 80% ÷ 8, limit all); every
/// job declares a runtime of 10 min–10 h, so backfill plans with real numbers. Same seed, same snapshot.
public enum CycleBenchWorkload {
    public static func snapshot(nodes rows: [OpenbTrace.NodeRow], pending: Int, seed: UInt64 = 42) -> SchedulingSnapshot {
        let inventory = ReplayWorkload.inventory(nodes: rows, tenants: 8)
        var rng = SplitMix64(seed: seed)
        let models = Array(Set(rows.map(\.model).filter { !$0.isEmpty })).sorted()
        let now = 1_000_000.0
        // Running jobs: first fit, whole devices or shares, until 70% of the GPUs are held.
        var free = rows.map { (cpu: $0.cpuMilli, mem: $0.memoryMiB, gpus: Array(repeating: 1000, count: $0.gpus)) }
        let target = rows.reduce(0) { $0 + $1.gpus } * 700
        var held = 0
        var active: [Job] = []
        var n = 0
        while held < target {
            var job = makeJob(&rng, id: "run-\(n)", tenants: inventory.tenants, models: models, now: now)
            job.replicas = 1
            job.minMembers = 1
            n += 1
            guard let i = free.indices.first(where: { fits(job.request, free[$0]) }) else { break }
            let devices = pick(job.request, free[i].gpus)
            for d in devices { free[i].gpus[d] -= job.request.gpuMilli }
            free[i].cpu -= job.request.cpuMilli
            free[i].mem -= job.request.memoryMiB
            held += job.request.totalGPUMilli
            job.placements = [ReplicaPlacement(
                replica: 0, node: NodeID(rows[i].name), deviceIndices: devices, gpuMilli: job.request.gpuMilli,
                cpuMilli: job.request.cpuMilli, memoryMiB: job.request.memoryMiB
            )]
            job.state = .running
            job.startedAt = now - Double(rng.next() % 7_200)
            active.append(job)
        }
        let queued = (0..<pending).map { makeJob(&rng, id: "job-\($0)", tenants: inventory.tenants, models: models, now: now) }
        return SchedulingSnapshot(
            now: now, pools: [inventory.pool], nodes: inventory.nodes, tenants: inventory.tenants, quotas: inventory.quotas,
            active: active, pending: queued
        )
    }

    private static func makeJob(_ rng: inout SplitMix64, id: String, tenants: [Tenant], models: [String], now: Double) -> Job {
        let roll = rng.next() % 100
        var request: ResourceRequest
        switch roll {
        case 0..<13: request = ResourceRequest(gpus: 0, cpuMilli: 1_000 * Int(1 + rng.next() % 16), memoryMiB: 1_024 * Int(1 + rng.next() % 32))
        case 13..<68: request = ResourceRequest(gpus: 1, gpuMilli: 100 * Int(1 + rng.next() % 9), cpuMilli: 4_000, memoryMiB: 12_288)
        case 68..<96: request = ResourceRequest(gpus: 1, cpuMilli: 8_000, memoryMiB: 30_000)
        default: request = ResourceRequest(gpus: [2, 4, 8][Int(rng.next() % 3)], cpuMilli: 16_000, memoryMiB: 65_536)
        }
        if request.gpus > 0, rng.next() % 10 == 0, !models.isEmpty { request.models = [models[Int(rng.next() % UInt64(models.count))]] }
        let gang = request.gpus >= 2 && rng.next() % 10 == 0 ? 2 : 1
        let classRoll = rng.next() % 10
        let priority: PriorityClass = classRoll < 2 ? .p1 : (classRoll < 5 ? .p2 : .p3)
        return Job(
            id: JobID(id), name: id, tenant: tenants[Int(rng.next() % UInt64(tenants.count))].id, submittedBy: "bench",
            pool: "openb", replicas: gang, request: request, priority: priority, preemptible: priority != .p1,
            runtimeSeconds: Double(600 + rng.next() % 35_400), submittedAt: now - Double(rng.next() % 3_600)
        )
    }

    private static func fits(_ r: ResourceRequest, _ f: (cpu: Int, mem: Int, gpus: [Int])) -> Bool {
        guard f.cpu >= r.cpuMilli, f.mem >= r.memoryMiB else { return false }
        return r.gpus == 0 || pick(r, f.gpus).count == r.gpus
    }

    private static func pick(_ r: ResourceRequest, _ gpus: [Int]) -> [Int] {
        guard r.gpus > 0 else { return [] }
        return Array(gpus.indices.filter { gpus[$0] >= (r.gpuMilli < 1000 ? r.gpuMilli : 1000) }.prefix(r.gpus))
    }
}
