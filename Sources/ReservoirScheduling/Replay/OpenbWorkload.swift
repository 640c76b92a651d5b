import ReservoirCore

/// Turns the openb trace into a replayable workload: one pool of the trace's nodes, tenants with
/// quotas, and one job per pod.
///
/// Mapping (documented in docs/BENCHMARKS.md):
/// - arrival = `creation_time` ÷ `load` (load 2 replays the same pods twice as densely);
/// - runtime = `deletion_time − scheduled_time`; pods never scheduled in the original cluster
///   (`Pending`, no `scheduled_time`) run `deletion_time − creation_time`; at least 1 s;
/// - class: `LS` and `Guaranteed` → P1 (not preemptible), `Burstable` → P2, `BE` and anything
///   else → P3 (P2 and P3 preemptible);
/// - tenant: `tenant-k` with k = FNV-1a-64(pod name) mod `tenants` — deterministic, uniform, and
///   independent of the pod's shape, so every tenant sees the trace's mix; weights all 1;
/// - quota per tenant: guaranteed = `guaranteedFraction` × GPUs ÷ tenants, limit = all GPUs.
public struct ReplayWorkload: Sendable {
    public var pool: Pool
    public var nodes: [Node]
    public var tenants: [Tenant]
    public var quotas: [Quota]
    /// Jobs in arrival order; `submittedAt` is the arrival.
    public var jobs: [Job]
    /// Actual runtime of each job (what the replay runs), independent of what it declares.
    public var runtimes: [JobID: Double]

    public init(pool: Pool, nodes: [Node], tenants: [Tenant], quotas: [Quota], jobs: [Job], runtimes: [JobID: Double]) {
        self.pool = pool
        self.nodes = nodes
        self.tenants = tenants
        self.quotas = quotas
        self.jobs = jobs
        self.runtimes = runtimes
    }

    /// Why a pod list cannot be replayed in time.
    public struct MissingTimes: Error, Hashable, Sendable, CustomStringConvertible {
        public var pod: String
        public var description: String { "pod \(pod) has no creation_time/deletion_time: this variant cannot be replayed in time" }
    }

    /// - Parameters:
    ///   - declareRuntimes: whether jobs declare their exact runtime (else backfill estimates from tenant history).
    public static func openb(
        nodes rows: [OpenbTrace.NodeRow], pods: [OpenbTrace.PodRow], tenants count: Int = 8, guaranteedFraction: Double = 0.8,
        load: Double = 1, declareRuntimes: Bool = false
    ) throws(MissingTimes) -> ReplayWorkload {
        let (pool, nodes, tenants, quotas) = inventory(nodes: rows, tenants: count, guaranteedFraction: guaranteedFraction)
        var jobs: [Job] = []
        var runtimes: [JobID: Double] = [:]
        for pod in pods {
            guard let created = pod.creationTime, let deleted = pod.deletionTime else { throw MissingTimes(pod: pod.name) }
            let runtime = Double(max(1, deleted - (pod.scheduledTime ?? created)))
            let priority = priority(qos: pod.qos)
            var job = Job(
                id: JobID(pod.name), name: pod.name, tenant: tenants[Int(fnv1a(pod.name) % UInt64(tenants.count))].id,
                submittedBy: "trace", pool: pool.id,
                request: ResourceRequest(gpus: pod.numGPU, gpuMilli: pod.gpuMilli, cpuMilli: pod.cpuMilli, memoryMiB: pod.memoryMiB, models: pod.gpuSpec),
                priority: priority, preemptible: priority != .p1, runtimeSeconds: declareRuntimes ? runtime : nil,
                submittedAt: Double(created) / max(load, 0.001)
            )
            job.kind = .batch
            jobs.append(job)
            runtimes[job.id] = runtime
        }
        jobs.sort { ($0.submittedAt, $0.id) < ($1.submittedAt, $1.id) }
        return ReplayWorkload(pool: pool, nodes: nodes, tenants: tenants, quotas: quotas, jobs: jobs, runtimes: runtimes)
    }

    /// The trace's nodes as one pool `openb`, `count` tenants `tenant-k` of weight 1, and a quota each:
    /// guaranteed `guaranteedFraction` × GPUs ÷ tenants, limit all GPUs.
    public static func inventory(
        nodes rows: [OpenbTrace.NodeRow], tenants count: Int, guaranteedFraction: Double = 0.8
    ) -> (pool: Pool, nodes: [Node], tenants: [Tenant], quotas: [Quota]) {
        let pool = Pool(id: "openb", cluster: "openb")
        let nodes = rows.map { row in
            Node(
                id: NodeID(row.name), pool: pool.id, cpuMilli: row.cpuMilli, memoryMiB: row.memoryMiB,
                devices: (0..<row.gpus).map { Device(node: NodeID(row.name), index: $0, model: row.model, memoryMiB: 0) }
            )
        }
        let tenants = (0..<max(1, count)).map { Tenant(id: TenantID("tenant-\($0)")) }
        let totalMilli = rows.reduce(0) { $0 + $1.gpus * 1000 }
        let guaranteed = Int(Double(totalMilli) * guaranteedFraction) / tenants.count
        let quotas = tenants.map { Quota(tenant: $0.id, pool: pool.id, guaranteedMilli: guaranteed, limitMilli: totalMilli) }
        return (pool, nodes, tenants, quotas)
    }

    /// `LS`/`Guaranteed` → P1, `Burstable` → P2, everything else (`BE`, missing) → P3.
    public static func priority(qos: String?) -> PriorityClass {
        switch qos?.lowercased() {
        case "ls", "guaranteed": .p1
        case "burstable": .p2
        default: .p3
        }
    }

    /// FNV-1a 64-bit: a stable hash (Swift's `Hasher` is seeded per process).
    static func fnv1a(_ s: String) -> UInt64 { StableHash.fnv1a(s) }
}
