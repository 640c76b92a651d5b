#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fragmentation Gradient Descent (Weng et al., USENIX ATC '23), faithful to the authors' simulator
/// (`fgd_score.go`): place the pod where it increases the node's fragmentation (`GPUFragmentation`)
/// the least. Score = `int(100 × sigmoid((F(n) − F(n + pod)) / 1000))`, so 50 means "no change" and
/// ties, common in integers, go to the cluster's tie order.
///
/// A share of a GPU tries every GPU with enough free milli and keeps the best (first index on an
/// integer tie); the same GPU is used when the pod is bound. Whole GPUs take the first fully free
/// ones, and the fragmentation after them is the same whichever are taken.
public struct FGDScore: ScorePlugin {
    public static let name = "fgd"
    private var frag: GPUFragmentation
    private var cache = NodeCache()
    private var scratch = NodeScratch()
    private var memo = ScoreMemo()

    public init(workload: TypicalPods) { frag = GPUFragmentation(workload, mode: .faithful) }

    public mutating func prepare(_ pod: PodRequest, in cluster: ClusterState) {
        if cache.prepare(cluster, slot: { frag.slot(for: $0) }) { memo.reset() }
        memo.begin(pod, nodeCount: cluster.nodes.count)
    }

    public mutating func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        if let s = memo.lookup(index, cluster.nodes[index]) { return s }
        let s = Double(best(pod, node: index, in: cluster).score)
        memo.store(s, index, cluster.nodes[index])
        return s
    }

    public mutating func devices(for pod: PodRequest, node index: Int, in cluster: ClusterState) -> [Int] {
        guard pod.isShare else { return DeviceChoice.firstFree(pod.gpus, on: cluster.nodes[index]) }
        let g = best(pod, node: index, in: cluster).gpu
        return g < 0 ? [] : [g]
    }

    /// The integer score and, for a share, the GPU that earns it.
    private mutating func best(_ pod: PodRequest, node i: Int, in cluster: ClusterState) -> (score: Int, gpu: Int) {
        let node = cluster.nodes[i]
        let slot = cache.slots[i]
        let before: Double
        if let v = cache.lookup(i, cluster) {
            before = v
        } else {
            before = scratch.with(node.gpuFree) { frag.amount(slot: slot, cpu: node.freeCPU, memory: 0, gpuFree: $0) }
            cache.store(before, i, cluster)
        }
        let cpu = node.freeCPU - pod.cpuMilli
        if !pod.isShare {
            let after = scratch.after(node.gpuFree, gpu: -1, milli: 1000, gpus: pod.gpus) {
                frag.amount(slot: slot, cpu: cpu, memory: 0, gpuFree: $0)
            }
            return (Self.sigmoidScore(before - after), -1)
        }
        var bestScore = 0
        var bestGPU = -1
        for g in node.gpuFree.indices where node.gpuFree[g] >= pod.gpuMilli {
            // GPUs with the same free milli give the same multiset, hence the same score; the first wins ties.
            if node.gpuFree[..<g].contains(node.gpuFree[g]) { continue }
            let after = scratch.after(node.gpuFree, gpu: g, milli: pod.gpuMilli, gpus: 1) {
                frag.amount(slot: slot, cpu: cpu, memory: 0, gpuFree: $0)
            }
            let s = Self.sigmoidScore(before - after)
            if bestGPU < 0 || s > bestScore { (bestScore, bestGPU) = (s, g) }
        }
        return (bestScore, bestGPU)
    }

    /// `int64(100 × sigmoid(Δ / 1000))` as the simulator computes it (truncation toward zero).
    static func sigmoidScore(_ delta: Double) -> Int {
        Int(100 / (1 + exp(-delta / 1000)))
    }
}
