import ReservoirCore

/// A score plugin ranks the nodes that passed the filters and picks the devices on the winner.
/// Higher is better; ties go to the lowest node index (the cluster's tie order).
public protocol ScorePlugin: Sendable {
    static var name: String { get }
    /// Score of placing `pod` on node `index`, and the devices it would take there.
    mutating func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> (score: Double, gpus: [Int])
}

/// Device choice shared by the simple policies: for a share, the GPU with the least sufficient
/// free milli; for whole GPUs, the first fully free ones in index order.
public enum DeviceChoice {
    public static func tightest(_ pod: PodRequest, on node: NodeCapacity) -> [Int] {
        guard pod.gpus > 0 else { return [] }
        if pod.isShare {
            var best = -1
            for (g, free) in node.gpuFree.enumerated() where free >= pod.gpuMilli && (best < 0 || free < node.gpuFree[best]) {
                best = g
            }
            return best < 0 ? [] : [best]
        }
        return Array(node.gpuFree.indices.filter { node.gpuFree[$0] == 1000 }.prefix(pod.gpus))
    }
}

/// Best fit: the node left with the least free CPU and GPU after the pod wins.
public struct BestFitScore: ScorePlugin {
    public static let name = "bestfit"
    public init() {}
    public func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> (score: Double, gpus: [Int]) {
        let node = cluster.nodes[index]
        let cpuLeft = Double(node.freeCPU - pod.cpuMilli) / 128_000
        let gpuLeft = Double(node.freeGPUMilli - pod.totalGPUMilli) / 8_000
        return (1 - (0.5 * cpuLeft + 0.5 * gpuLeft), DeviceChoice.tightest(pod, on: node))
    }
}
