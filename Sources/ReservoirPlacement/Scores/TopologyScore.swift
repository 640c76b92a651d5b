/// Topology-aware scoring for multi-GPU pods: GPUs in one NVLink island talk fastest, then the same
/// node, then the same rack. A node that can give the pod all its GPUs inside one island scores 2,
/// plus 1 when it sits in the rack the pod's gang already uses; within a tier the node that is left
/// with fewer free GPUs wins, so islands are not broken up needlessly. Single-GPU and CPU-only pods
/// only see the rack term.
public struct TopologyScore: ScorePlugin {
    public static let name = "topology"
    public init() {}

    public func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        let node = cluster.nodes[index]
        var s = 0.0
        if pod.gpus > 1, Self.island(for: pod, on: node) != nil { s += 2 }
        if let rack = pod.preferredRack, node.rack == rack { s += 1 }
        return s - Double(node.fullyFreeGPUs - (pod.isShare ? 0 : pod.gpus)) / 1000
    }

    public func devices(for pod: PodRequest, node index: Int, in cluster: ClusterState) -> [Int] {
        let node = cluster.nodes[index]
        guard pod.gpus > 1, let island = Self.island(for: pod, on: node) else { return DeviceChoice.tightest(pod, on: node) }
        return Array(node.gpuFree.indices.filter { node.islands[$0] == island && node.gpuFree[$0] == 1000 }.prefix(pod.gpus))
    }

    /// The NVLink island with the fewest fully free GPUs that still holds all of the pod's GPUs.
    static func island(for pod: PodRequest, on node: NodeCapacity) -> Int? {
        var free: [Int: Int] = [:]
        for g in node.gpuFree.indices where node.gpuFree[g] == 1000 {
            if let island = node.islands[g] { free[island, default: 0] += 1 }
        }
        return free.filter { $0.value >= pod.gpus }.min { ($0.value, $0.key) < ($1.value, $1.key) }?.key
    }
}
