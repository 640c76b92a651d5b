/// Dot product (Tetris, Grandl et al. SIGCOMM '14), as the openb simulator runs it
/// (`-dimext merge -norm max`): vectors [CPU / 128 cores, GPU milli / 8 GPUs], and the node whose free
/// vector has the smallest dot product with the pod's request wins: `int(100 × (1 − ⟨free, req⟩ / 2))`.
public struct DotProductScore: ScorePlugin {
    public static let name = "dotprod"
    public init() {}
    public func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        let node = cluster.nodes[index]
        let dot = Double(node.freeCPU) / MaxSpec.cpu * Double(pod.cpuMilli) / MaxSpec.cpu
            + Double(node.freeGPUMilli) / MaxSpec.gpu * Double(pod.totalGPUMilli) / MaxSpec.gpu
        return Double(Int64(100 * (1 - dot / 2)))
    }
}
