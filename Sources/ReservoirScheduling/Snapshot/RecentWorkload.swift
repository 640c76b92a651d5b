import ReservoirCore
import ReservoirPlacement

extension TypicalPods {
    /// Fewer pods than this in a pool and its recent work says too little: the generic mix is used.
    public static let minimumRecentPods = 20

    /// The typical pod shapes of a pool's recent work, for the fragmentation-aware policies (`reservoir`,
    /// `fgd`) to look ahead to: every pending and active job of the pool in the snapshot, one pod per
    /// replica (at most 1,000 per job, so one huge gang does not drown the rest), with the models it
    /// is restricted to. Nil when the pool holds fewer than `minimumRecentPods` pods.
    ///
    /// This is what the FGD paper's "target workload" is in a running server: the benchmark learns it
    /// from the whole trace in advance; the server can only learn it from what tenants submit.
    public static func recent(_ jobs: [Job]) -> TypicalPods? {
        var pods: [PodRequest] = []
        jobs.withUnsafeBufferPointer { jobs in
            for i in jobs.indices { appendRecentPods(of: jobs[i], to: &pods) }
        }
        return recent(pods: pods)
    }

    /// `recent(_:)` for every pool of a snapshot at once: one pass over its active then pending jobs,
    /// reading each job in place through the array's buffer (a deep queue is never copied or grouped first).
    static func recentByPool(_ snapshot: SchedulingSnapshot) -> [PoolID: TypicalPods] {
        var slots: [PoolID: Int] = [:]
        var pools: [PoolID] = []
        var pods: [[PodRequest]] = []
        var last: (pool: PoolID, slot: Int)?
        for list in [snapshot.active, snapshot.pending] {
            list.withUnsafeBufferPointer { jobs in
                for i in jobs.indices {
                    guard let pool = jobs[i].pool else { continue }
                    if last?.pool != pool {
                        if slots[pool] == nil {
                            slots[pool] = pods.count
                            pools.append(pool)
                            pods.append([])
                        }
                        last = (pool, slots[pool]!)
                    }
                    appendRecentPods(of: jobs[i], to: &pods[last!.slot])
                }
            }
        }
        var typical: [PoolID: TypicalPods] = [:]
        for (slot, pool) in pools.enumerated() { typical[pool] = recent(pods: pods[slot]) }
        return typical
    }

    private static func appendRecentPods(of job: Job, to pods: inout [PodRequest]) {
        let models = job.request.models.isEmpty ? nil : Set(job.request.models)
        pods.append(contentsOf: repeatElement(job.podRequest(models: models), count: min(max(job.replicas, 1), 1_000)))
    }

    private static func recent(pods: [PodRequest]) -> TypicalPods? {
        guard pods.count >= minimumRecentPods else { return nil }
        return TypicalPods(pods: pods)
    }
}
