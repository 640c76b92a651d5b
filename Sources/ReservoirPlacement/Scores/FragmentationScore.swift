/// What tells one fragmentation-aware policy from another: the value it adds to a node's
/// fragmentation and how it turns "value before, fragmentation after" into a score.
public protocol FragmentationRule: Sendable {
    static var name: String { get }
    /// Called when the cluster's node list is new; `slots` is each node's model slot.
    mutating func rebuilt(_ cluster: ClusterState, slots: [Int])
    /// Added to the fragmentation of a node as it is now (cached per node state).
    func extra(_ node: NodeCapacity) -> Double
    /// The score of placing `pod` on `node` (model slot `slot`): `before` is the node's value now,
    /// `after` the fragmentation with the pod (one candidate GPU for a share).
    func score(_ pod: PodRequest, on node: NodeCapacity, slot: Int, before: Double, after: Double) -> Double
}

extension FragmentationRule {
    public mutating func rebuilt(_ cluster: ClusterState, slots: [Int]) {}
}

/// A score plugin that ranks a node by how its fragmentation (`GPUFragmentation`, plus the rule's
/// extra) changes when the pod lands on it: FGD and reservoir are this with different rules.
///
/// A share of a GPU tries every GPU with enough free milli and keeps the best (first index on a
/// tie); the same GPU is used when the pod is bound. Whole GPUs take the first fully free ones, and
/// the fragmentation after them is the same whichever are taken.
public struct FragmentationScore<Rule: FragmentationRule>: ScorePlugin {
    public static var name: String { Rule.name }
    private var rule: Rule
    private var frag: GPUFragmentation
    private var cache = NodeCache()
    private var scratch = NodeScratch()
    private var memo = ScoreMemo()

    init(rule: Rule, frag: GPUFragmentation) {
        self.rule = rule
        self.frag = frag
    }

    public mutating func prepare(_ pod: PodRequest, in cluster: ClusterState) {
        if cache.prepare(cluster, slot: { frag.slot(for: $0) }) {
            memo.reset()
            rule.rebuilt(cluster, slots: cache.slots)
        }
        memo.begin(pod, nodeCount: cluster.nodes.count)
    }

    public mutating func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        if let s = memo.lookup(index, cluster.nodes[index]) { return s }
        let s = best(pod, node: index, in: cluster).score
        memo.store(s, index, cluster.nodes[index])
        return s
    }

    public mutating func devices(for pod: PodRequest, node index: Int, in cluster: ClusterState) -> [Int] {
        guard pod.isShare else { return DeviceChoice.firstFree(pod.gpus, on: cluster.nodes[index]) }
        let g = best(pod, node: index, in: cluster).gpu
        return g < 0 ? [] : [g]
    }

    /// The score and, for a share, the GPU that earns it.
    private mutating func best(_ pod: PodRequest, node i: Int, in cluster: ClusterState) -> (score: Double, gpu: Int) {
        let node = cluster.nodes[i]
        let slot = cache.slots[i]
        let before: Double
        if let v = cache.lookup(i, cluster) {
            before = v
        } else {
            before = scratch.with(node.gpuFree) { frag.amount(slot: slot, cpu: node.freeCPU, memory: node.freeMemory, gpuFree: $0) }
                + rule.extra(node)
            cache.store(before, i, cluster)
        }
        let cpu = node.freeCPU - pod.cpuMilli
        let memory = node.freeMemory - pod.memoryMiB
        if !pod.isShare {
            let after = scratch.after(node.gpuFree, gpu: -1, milli: 1000, gpus: pod.gpus) {
                frag.amount(slot: slot, cpu: cpu, memory: memory, gpuFree: $0)
            }
            return (rule.score(pod, on: node, slot: slot, before: before, after: after), -1)
        }
        var bestScore = -Double.infinity
        var bestGPU = -1
        for g in node.gpuFree.indices where node.gpuFree[g] >= pod.gpuMilli {
            // GPUs with the same free milli give the same multiset, hence the same score; the first wins ties.
            if node.gpuFree[..<g].contains(node.gpuFree[g]) { continue }
            let after = scratch.after(node.gpuFree, gpu: g, milli: pod.gpuMilli, gpus: 1) {
                frag.amount(slot: slot, cpu: cpu, memory: memory, gpuFree: $0)
            }
            let s = rule.score(pod, on: node, slot: slot, before: before, after: after)
            if s > bestScore { (bestScore, bestGPU) = (s, g) }
        }
        return (bestScore, bestGPU)
    }
}
