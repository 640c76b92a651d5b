import ReservoirCore
import ReservoirPlacement

/// The baseline `reservoir bench cycle` measures against: the simplest cycle that still places
/// correctly — FIFO by arrival, first node that passes the placement filters, gangs all or none,
/// no quota, no preemption, no backfill, no caching. Cost O(pending × nodes × filters).
public enum BaselineCycle {
    /// Returns the number of jobs it started.
    public static func run(_ snapshot: SchedulingSnapshot) -> Int {
        var pools: [PoolID: PoolCapacity] = [:]
        let nodesByPool = Dictionary(grouping: snapshot.nodes, by: \.pool)
        for pool in snapshot.pools { pools[pool.id] = PoolCapacity(pool: pool, nodes: nodesByPool[pool.id] ?? [], catalog: snapshot.catalog) }
        for job in snapshot.active {
            guard let id = job.pool, pools[id] != nil else { continue }
            for p in job.placements {
                guard let i = pools[id]!.index[p.node] else { continue }
                pools[id]!.state.apply(Placement(node: i, gpuIndices: p.deviceIndices, gpuMilli: p.gpuMilli), for: job.podRequest(models: nil))
            }
        }
        var started = 0
        for job in snapshot.pending.sorted(by: { ($0.submittedAt, $0.id) < ($1.submittedAt, $1.id) }) {
            guard let id = job.pool, pools[id] != nil else { continue }
            let models = job.request.models.isEmpty ? nil : Set(job.request.models.map { snapshot.catalog.canonicalName($0) ?? $0 })
            let pod = job.podRequest(models: models)
            var taken: [Placement] = []
            for _ in 0..<job.replicas {
                guard let p = firstFit(pod, in: pools[id]!.state) else { break }
                pools[id]!.state.apply(p, for: pod)
                taken.append(p)
            }
            if taken.count == job.replicas {
                started += 1
            } else {
                for p in taken.reversed() { pools[id]!.state.release(p, for: pod) }
            }
        }
        return started
    }

    private static func firstFit(_ pod: PodRequest, in state: ClusterState) -> Placement? {
        for (i, node) in state.nodes.enumerated() where DefaultFilters.all.allSatisfy({ $0.reject(pod, on: node) == nil }) {
            return Placement(node: i, gpuIndices: DeviceChoice.tightest(pod, on: node), gpuMilli: pod.gpuMilli)
        }
        return nil
    }
}
