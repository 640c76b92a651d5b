/// GPU clustering (the simulator's `GpuClusteringScorePlugin`): GPU pods of one kind (shares, or
/// k whole GPUs) gather on the same nodes. Bands of 25: the node hosts only this kind (75–100), this
/// kind among others (50–75), no GPU pods (25–50), only other kinds (0–25); within a band the
/// node with less free GPU scores higher. CPU-only pods score 0.
public struct GPUClusteringScore: ScorePlugin {
    public static let name = "gpuclustering"
    public init() {}
    public func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        guard let tag = pod.affinityClass else { return 0 }
        let node = cluster.nodes[index]
        let used = 25 * (Int(MaxSpec.gpu) - node.freeGPUMilli) / Int(MaxSpec.gpu)
        let band: Int
        if node.gpuAffinity[tag] != nil {
            band = node.gpuAffinity.count == 1 ? 75 : 50
        } else {
            band = node.gpuAffinity.isEmpty ? 25 : 0
        }
        return Double(used + band)
    }
}
