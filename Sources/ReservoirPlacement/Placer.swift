import ReservoirCore

/// Places one pod: run the filters on every node, score the survivors, take the best.
/// The same code places real jobs in the server and pods in `reservoir bench openb`.
public struct Placer: Sendable {
    public var filters: [any FilterPlugin]
    public var scorer: any ScorePlugin

    /// A placer with the given plugins; by default the `reservoir` policy with a generic workload.
    public init(filters: [any FilterPlugin] = DefaultFilters.all, scorer: any ScorePlugin = ReservoirScore(workload: .generic)) {
        self.filters = filters
        self.scorer = scorer
    }

    /// A placer for a policy by name (`PlacementPolicy.allNames`), or nil for an unknown name.
    /// - Parameters:
    ///   - workload: the typical pods that fragmentation-aware policies look ahead to.
    ///   - seed: drives the `random` policy.
    public init?(policy: String, workload: TypicalPods = .generic, seed: UInt64 = 0, filters: [any FilterPlugin] = DefaultFilters.all) {
        guard let scorer = PlacementPolicy.scorer(named: policy, workload: workload, seed: seed) else { return nil }
        self.init(filters: filters, scorer: scorer)
    }

    /// Finds a node for `pod` in `cluster` without changing it; apply the result with `ClusterState.apply`.
    ///
    /// Nodes that cannot hold the pod's CPU, memory or GPU amount are skipped by a cheap check first;
    /// the reasons per filter are counted only when no node fits, since only that answer shows them.
    public mutating func place(_ pod: PodRequest, in cluster: ClusterState) -> PlacementOutcome {
        var best = -1
        var bestScore = 0.0
        scorer.prepare(pod, in: cluster)
        filters.withUnsafeBufferPointer { filters in
            nodes: for i in cluster.nodes.indices where Self.mayFit(pod, cluster.nodes[i]) {
                for f in filters.indices where filters[f].reject(pod, on: cluster.nodes[i]) != nil { continue nodes }
                let score = scorer.score(pod, node: i, in: cluster)
                if best < 0 || score > bestScore { (best, bestScore) = (i, score) }
            }
        }
        guard best >= 0 else { return .unschedulable(reasons(pod, in: cluster)) }
        let node = cluster.nodes[best]
        if let name = pod.migProfile, let profile = MIGGeometry.profile(name, model: node.model),
           let slot = MIGGeometry.choose(profile, on: node) {
            return .placed(Placement(node: best, gpuIndices: [slot.gpu], gpuMilli: profile.milli, migStartSlice: slot.start))
        }
        let gpus = scorer.devices(for: pod, node: best, in: cluster)
        return .placed(Placement(node: best, gpuIndices: gpus, gpuMilli: pod.gpus == 0 ? 0 : pod.gpuMilli))
    }

    /// A necessary condition for any filter set that includes resource fit: enough CPU, memory and GPU.
    @inline(__always)
    static func mayFit(_ pod: PodRequest, _ node: NodeCapacity) -> Bool {
        if node.freeCPU < pod.cpuMilli || node.freeMemory < pod.memoryMiB { return false }
        guard pod.gpus > 0, pod.migProfile == nil else { return true }
        if pod.isShare {
            for f in node.gpuFree where f >= pod.gpuMilli { return true }
            return false
        }
        return node.fullyFreeGPUs >= pod.gpus
    }

    /// Per reason, how many nodes the first rejecting filter turned away.
    private func reasons(_ pod: PodRequest, in cluster: ClusterState) -> [String: Int] {
        var rejected: [String: Int] = [:]
        for node in cluster.nodes {
            for filter in filters {
                if let reason = filter.reject(pod, on: node) {
                    rejected[reason, default: 0] += 1
                    break
                }
            }
        }
        return rejected
    }
}
