import ReservoirCore

/// Places one pod: run the filters on every node, score the survivors, take the best.
/// The same code places real jobs in the server and pods in `reservoir bench openb`.
public struct Placer: Sendable {
    public var filters: [any FilterPlugin]
    public var scorer: any ScorePlugin

    public init(filters: [any FilterPlugin] = DefaultFilters.all, scorer: any ScorePlugin = BestFitScore()) {
        self.filters = filters
        self.scorer = scorer
    }

    /// Finds a node for `pod` in `cluster` without changing it; apply the result with `ClusterState.apply`.
    public mutating func place(_ pod: PodRequest, in cluster: ClusterState) -> PlacementOutcome {
        var rejected: [String: Int] = [:]
        var best: (node: Int, score: Double, gpus: [Int])?
        for i in cluster.nodes.indices {
            let node = cluster.nodes[i]
            if let reason = filters.lazy.compactMap({ $0.reject(pod, on: node) }).first {
                rejected[reason, default: 0] += 1
                continue
            }
            let (score, gpus) = scorer.score(pod, node: i, in: cluster)
            if best == nil || score > best!.score { best = (i, score, gpus) }
        }
        guard let best else { return .unschedulable(rejected) }
        return .placed(Placement(node: best.node, gpuIndices: best.gpus, gpuMilli: pod.gpus == 0 ? 0 : pod.gpuMilli))
    }
}
