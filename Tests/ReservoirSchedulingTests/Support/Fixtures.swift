import Foundation
import ReservoirCore
import ReservoirScheduling

/// Small builders so scenarios read as data: `Fixture.job("a", gpus: 4, priority: .p1)`.
enum Fixture {
    static let pool: PoolID = "p"

    static func node(_ id: String, gpus: Int = 8, model: String = "A100-80GB", cpu: Int = 256_000, memory: Int = 2_000_000,
                     rack: String? = nil, islandSize: Int? = nil) -> Node {
        Node(
            id: NodeID(id), pool: pool, cpuMilli: cpu, memoryMiB: memory,
            devices: (0..<gpus).map { g in Device(node: NodeID(id), index: g, model: model, memoryMiB: 81_920, nvlinkIsland: islandSize.map { g / $0 }) },
            rack: rack
        )
    }

    static func job(
        _ id: String, tenant: String = "t1", gpus: Int = 1, milli: Int = 1000, replicas: Int = 1, min: Int? = nil, max: Int? = nil,
        priority: PriorityClass = .p2, preemptible: Bool = true, runtime: Double? = nil, at: Double = 0, cpu: Int = 1_000
    ) -> Job {
        var j = Job(
            id: JobID(id), name: id, tenant: TenantID(tenant), submittedBy: "u", pool: pool, replicas: replicas, minMembers: min,
            request: ResourceRequest(gpus: gpus, gpuMilli: milli, cpuMilli: cpu, memoryMiB: 1_024), priority: priority,
            preemptible: preemptible, runtimeSeconds: runtime, submittedAt: at
        )
        j.maxReplicas = max
        return j
    }

    /// `job` running since `startedAt` on the given (node, devices) per replica.
    static func running(_ job: Job, on replicas: [(String, [Int])], startedAt: Double = 0) -> Job {
        var j = job
        j.state = .running
        j.startedAt = startedAt
        j.placements = replicas.enumerated().map { i, r in
            ReplicaPlacement(replica: i, node: NodeID(r.0), deviceIndices: r.1, gpuMilli: job.request.gpuMilli,
                             cpuMilli: job.request.cpuMilli, memoryMiB: job.request.memoryMiB)
        }
        return j
    }

    /// Tenants `t1`… with no guarantee and a large limit (everyone borrows), unless `quotas` is given.
    static func snapshot(
        now: Double = 0, nodes: [Node], pending: [Job] = [], active: [Job] = [], quotas: [Quota]? = nil,
        tenants: [String] = ["t1", "t2", "t3", "t4"], reservedFraction: Double = 0, terminating: Set<JobID> = []
    ) -> SchedulingSnapshot {
        SchedulingSnapshot(
            now: now, pools: [Pool(id: pool, cluster: "c", reservedFraction: reservedFraction)], nodes: nodes,
            tenants: tenants.map { Tenant(id: TenantID($0)) },
            quotas: quotas ?? tenants.map { Quota(tenant: TenantID($0), pool: pool, guaranteedMilli: 0, limitMilli: 10_000_000) },
            active: active, pending: pending, terminating: terminating
        )
    }

    static func config(grace: Double = 0, backfill: Bool = true, aging: Double = 0.25, reclaimWithinClass: Bool = true) -> SchedulerConfiguration {
        var c = SchedulerConfiguration(agingClassesPerHour: aging)
        c.preemption.graceSeconds = grace
        c.preemption.reclaimWithinClass = reclaimWithinClass
        c.backfill.enabled = backfill
        return c
    }
}

extension CycleResult {
    func decision(_ id: String) -> Decision? { decisions.first { $0.job == JobID(id) } }
    var evicted: Set<String> { Set(evictions.map(\.job.rawValue)) }
}
