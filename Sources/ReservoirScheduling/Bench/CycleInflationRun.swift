import ReservoirCore
import ReservoirPlacement

/// The openb workload-inflation experiment (`InflationRun`) run through `SchedulingCycle` exactly as
/// the server runs it: the trace's GPU nodes are one pool (in the seed's node order), one tenant holds
/// a quota of the whole pool, and each arrival is a job (P2, not preemptible, no runtime) submitted
/// to a cycle whose snapshot holds every job placed so far. The cycle's configuration is the server's
/// default with the policy under test: its placers learn the typical shapes from the pool's work
/// (`TypicalPods.recent`) instead of being told the trace's, and score as the server does.
///
/// `batch` arrivals go to each cycle (1: one cycle per arrival, the experiment's one-shot order);
/// a job the cycle does not place is dropped, as the experiment drops a pod that fits nowhere.
public struct CycleInflationRun: Sendable {
    public let workload: OpenbWorkload
    public let batch: Int

    public init(workload: OpenbWorkload, batch: Int = 1) {
        self.workload = workload
        self.batch = max(1, batch)
    }

    /// Runs `policy` on the arrival stream of `seed`; nil for an unknown policy.
    /// - Parameter clock: a monotonic nanosecond clock; each decision's latency is its cycle's time
    ///   divided by the arrivals in it.
    public func run(policy: String, seed: UInt64, clock: (() -> UInt64)? = nil) -> InflationRun.Result? {
        guard PlacementPolicy.allNames.contains(policy) else { return nil }
        let (pods, order) = workload.arrivals(seed: seed)
        let pool = Pool(id: "openb", cluster: "openb")
        let nodes = order.map { i in
            let n = workload.nodes[i]
            return Node(
                id: n.id, pool: pool.id, cpuMilli: n.totalCPU, memoryMiB: n.totalMemory,
                devices: (0..<n.gpuCount).map { Device(node: n.id, index: $0, model: n.model, memoryMiB: 0) })
        }
        let tenant = Tenant(id: "openb")
        let quota = Quota(tenant: tenant.id, pool: pool.id, guaranteedMilli: workload.totalGPUMilli, limitMilli: workload.totalGPUMilli)
        let cycle = SchedulingCycle(configuration: SchedulerConfiguration(placementPolicy: policy, maxJobsPerCycle: batch))

        var curve = AllocationCurve(totalGPUMilli: workload.totalGPUMilli)
        var latencies: [UInt64] = []
        var active: [Job] = []
        var arrived = 0
        var allocated = 0
        var next = 0
        while next < pods.count {
            let jobs = (next..<min(next + batch, pods.count)).map { Self.job(pods[$0], index: $0, tenant: tenant.id, pool: pool.id) }
            next += jobs.count
            let snapshot = SchedulingSnapshot(
                now: Double(next), pools: [pool], nodes: nodes, tenants: [tenant], quotas: [quota], active: active, pending: jobs)
            let start = clock?() ?? 0
            let result = cycle.run(snapshot)
            if let clock { latencies += repeatElement((clock() - start) / UInt64(jobs.count), count: jobs.count) }
            let placed = Dictionary(uniqueKeysWithValues: result.decisions.map { ($0.job, $0.placements) })
            // Arrival order, so the curve is sampled as the one-shot experiment samples it.
            for var job in jobs {
                arrived += job.totalGPUMilli
                if let placements = placed[job.id] {
                    job.placements = placements
                    job.state = .running
                    job.startedAt = snapshot.now
                    active.append(job)
                    allocated += job.totalGPUMilli
                }
                curve.record(arrivedMilli: arrived, allocatedMilli: allocated)
            }
        }
        return InflationRun.Result(
            policy: policy, seed: seed, curve: curve, placedPods: active.count, failedPods: pods.count - active.count, latencies: latencies)
    }

    /// One arrival as a job of the trace's tenant.
    static func job(_ pod: PodRequest, index: Int, tenant: TenantID, pool: PoolID) -> Job {
        var job = Job(
            id: JobID("pod-\(index)"), name: "pod-\(index)", tenant: tenant, submittedBy: "trace", pool: pool, kind: .batch,
            request: ResourceRequest(
                gpus: pod.gpus, gpuMilli: pod.gpus == 0 ? 1000 : pod.gpuMilli, cpuMilli: pod.cpuMilli, memoryMiB: pod.memoryMiB,
                models: pod.models.map { $0.sorted() } ?? []),
            priority: .p2, preemptible: false, submittedAt: Double(index))
        job.state = .queued
        return job
    }
}
