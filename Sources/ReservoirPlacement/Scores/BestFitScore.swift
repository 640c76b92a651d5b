/// Best fit: the node left with the least free CPU and GPU after the pod wins.
///
/// Exactly the simulator's `getBestFitScore`: `int(100 × (1 − ½·cpuLeft/128 cores − ½·gpuLeft/8 GPUs))`.
/// Its min-max `NormalizeScore` is left out on purpose: raw scores span at most 0…100, and
/// `(s − lo) × 100 / (hi − lo)` is strictly increasing in integers when `hi − lo ≤ 100`, so it never
/// changes which node wins.
public struct BestFitScore: ScorePlugin {
    public static let name = "bestfit"
    public init() {}
    public func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        let node = cluster.nodes[index]
        let cpuLeft = Double(node.freeCPU - pod.cpuMilli) / MaxSpec.cpu
        let gpuLeft = Double(node.freeGPUMilli - pod.totalGPUMilli) / MaxSpec.gpu
        return Double(Int64((1 - (0.5 * cpuLeft + 0.5 * gpuLeft)) * 100))
    }
}
