import ReservoirCore

/// Places one pod: run the filters on every node, score the survivors, take the best.
/// The same code places real jobs in the server and pods in `reservoir bench openb`.
public struct Placer: Sendable {
    public var filters: [any FilterPlugin]
    public var scorer: any ScorePlugin
    private var descriptionFilters = DescriptionFilterCache()

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
    /// Every node gets the resource-fit check (statically dispatched, cheap); filters that look only
    /// at the node's description are remembered per constraint set; the rest run as they are. The
    /// reasons per filter are counted only when no node fits, since only that answer shows them.
    public mutating func place(_ pod: PodRequest, in cluster: ClusterState) -> PlacementOutcome {
        var best = -1
        var bestScore = 0.0
        scorer.prepare(pod, in: cluster)
        let passing = descriptionFilters.passing(pod, cluster, filters)
        let stateFilters = filters.filter { $0.dependsOn == .state }
        nodes: for i in cluster.nodes.indices where passing[i] && ResourceFitFilter.check(pod, cluster.nodes[i]) == nil {
            for f in stateFilters where f.reject(pod, on: cluster.nodes[i]) != nil { continue nodes }
            let score = scorer.score(pod, node: i, in: cluster)
            if best < 0 || score > bestScore { (best, bestScore) = (i, score) }
        }
        guard best >= 0 else { return .unschedulable(reasons(pod, in: cluster, passing: passing)) }
        if let mig = MIGGeometry.placement(pod, node: best, in: cluster) { return .placed(mig) }
        let gpus = DeviceChoice.honouringShareMemory(scorer.devices(for: pod, node: best, in: cluster), pod, on: cluster.nodes[best])
        return .placed(Placement(node: best, gpuIndices: gpus, gpuMilli: pod.gpus == 0 ? 0 : pod.gpuMilli))
    }

    /// Per reason, how many nodes the first rejecting filter turned away.
    ///
    /// A node in `passing` already got a yes from every description filter, so only the others are
    /// asked, the resource fit statically. The reasons are few, so they are counted in a short list
    /// rather than by hashing a string per node: a run of unplaceable pods would otherwise cost more
    /// than placing.
    private func reasons(_ pod: PodRequest, in cluster: ClusterState, passing: [Bool]) -> [String: Int] {
        let others = filters.filter { $0.dependsOn != .description }
        let onlyFit = others.allSatisfy { $0.dependsOn == .resources }
        var counts: [(reason: String, nodes: Int)] = []
        for i in cluster.nodes.indices {
            let reason: String?
            if !passing[i] {
                reason = Self.firstRejection(pod, cluster.nodes[i], filters)
            } else if onlyFit {
                reason = others.isEmpty ? nil : ResourceFitFilter.check(pod, cluster.nodes[i])
            } else {
                reason = Self.firstRejection(pod, cluster.nodes[i], others)
            }
            guard let reason else { continue }
            if let k = counts.firstIndex(where: { $0.reason == reason }) {
                counts[k].nodes += 1
            } else {
                counts.append((reason, 1))
            }
        }
        return Dictionary(uniqueKeysWithValues: counts.map { ($0.reason, $0.nodes) })
    }

    private static func firstRejection(_ pod: PodRequest, _ node: NodeCapacity, _ filters: [any FilterPlugin]) -> String? {
        for filter in filters {
            if let reason = filter.reject(pod, on: node) { return reason }
        }
        return nil
    }
}
