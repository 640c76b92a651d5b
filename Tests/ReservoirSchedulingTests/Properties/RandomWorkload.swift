import ReservoirCore
import ReservoirScheduling

/// A seeded random cluster and queue, and a tiny applier that plays cycle results forward the way
/// the server does (evictions, resizes, decisions), so properties can be checked over many cycles.
struct RandomWorkload {
    var rng: SplitMix64
    var nodes: [Node]
    var active: [JobID: Job] = [:]
    var pending: [JobID: Job] = [:]
    var quotas: [Quota]
    var next = 0
    let tenants = ["t1", "t2", "t3"]

    init(seed: UInt64, nodeCount: Int = 6, guarantees: Bool = false) {
        rng = SplitMix64(seed: seed)
        var made: [Node] = []
        for i in 0..<nodeCount {
            let gpus = [2, 4, 8][Int(rng.next() % 3)]
            made.append(Fixture.node("n\(i)", gpus: gpus, rack: "r\(i % 2)", islandSize: gpus >= 4 ? gpus / 2 : nil))
        }
        nodes = made
        let total = nodes.reduce(0) { $0 + $1.gpuCount } * 1000
        quotas = tenants.enumerated().map { i, t in
            Quota(tenant: TenantID(t), pool: Fixture.pool, guaranteedMilli: guarantees ? total / 4 * (i == 0 ? 2 : 1) / 2 : 0, limitMilli: total)
        }
    }

    mutating func randomJob(at now: Double) -> Job {
        next += 1
        let shape = rng.next() % 10
        let gpus = shape < 3 ? 1 : (shape < 6 ? 2 : (shape < 8 ? 4 : 8))
        let milli = shape == 0 ? 500 : 1000
        let replicas = rng.next() % 5 == 0 ? 2 : 1
        let elastic = rng.next() % 6 == 0
        return Fixture.job(
            "j\(next)", tenant: tenants[Int(rng.next() % 3)], gpus: milli < 1000 ? 1 : gpus, milli: milli, replicas: replicas,
            max: elastic ? replicas + 2 : nil, priority: PriorityClass.allCases[Int(rng.next() % 4)],
            preemptible: rng.next() % 5 != 0, runtime: Double(100 + rng.next() % 2_000), at: now
        )
    }

    func snapshot(now: Double) -> SchedulingSnapshot {
        Fixture.snapshot(now: now, nodes: nodes, pending: pending.values.sorted { $0.id < $1.id },
                         active: active.values.sorted { $0.id < $1.id }, quotas: quotas, tenants: tenants)
    }

    /// Applies a result with zero grace: victims leave at once and are requeued.
    mutating func apply(_ r: CycleResult, now: Double) {
        for e in r.evictions {
            guard var j = active.removeValue(forKey: e.job) else { continue }
            j.placements = []
            j.state = .preempted
            pending[j.id] = j
        }
        for z in r.resizes { active[z.job]?.placements = z.placements }
        for d in r.decisions {
            guard var j = pending.removeValue(forKey: d.job) else { continue }
            j.placements = d.placements
            j.state = .running
            j.startedAt = now
            active[j.id] = j
        }
    }

    /// Ends every active job whose runtime has passed.
    mutating func finish(now: Double) {
        for (id, j) in active where (j.startedAt ?? now) + (j.runtimeSeconds ?? .infinity) <= now { active[id] = nil }
    }

    /// Milli used per device, CPU per node: the double-booking check.
    func overbooked() -> [String] {
        var gpu: [String: Int] = [:]
        var cpu: [NodeID: Int] = [:]
        for j in active.values {
            for p in j.placements {
                for d in p.deviceIndices { gpu["\(p.node)/\(d)", default: 0] += p.gpuMilli }
                cpu[p.node, default: 0] += p.cpuMilli
            }
        }
        let limits = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0.cpuMilli) })
        return gpu.filter { $0.value > 1000 }.map(\.key) + cpu.filter { $0.value > limits[$0.key]! }.map(\.key.rawValue)
    }
}
