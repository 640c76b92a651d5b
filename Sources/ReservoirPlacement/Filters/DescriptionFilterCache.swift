import ReservoirCore

/// Remembers, per set of pod constraints, which nodes pass the filters that look only at a node's
/// fixed description (`FilterDependency.description`): health, model, selector and taints answer
/// the same for every pod with the same constraints until the cluster state is rebuilt.
struct DescriptionFilterCache: Sendable {
    private struct Constraints: Hashable, Sendable {
        var needsGPU: Bool
        var models: Set<String>?
        var selector: [String: String]
        var tolerations: [Toleration]
        var mig: Bool
    }

    /// Constraint sets remembered at most before starting over.
    private let limit = 1024
    private var passes: [Constraints: [Bool]] = [:]
    private var identity = ClusterIdentity()

    /// Per node, whether every description filter lets `pod` through.
    mutating func passing(_ pod: PodRequest, _ cluster: ClusterState, _ filters: [any FilterPlugin]) -> [Bool] {
        if !identity.same(as: cluster) || passes.count >= limit { passes.removeAll() }
        let key = Constraints(needsGPU: pod.gpus > 0, models: pod.models, selector: pod.nodeSelector,
                              tolerations: pod.tolerations, mig: pod.migProfile != nil)
        if let p = passes[key] { return p }
        let relevant = filters.filter { $0.dependsOn == .description }
        let p = cluster.nodes.map { node in relevant.allSatisfy { $0.reject(pod, on: node) == nil } }
        passes[key] = p
        return p
    }
}
