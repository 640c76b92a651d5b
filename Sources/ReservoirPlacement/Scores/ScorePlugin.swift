import ReservoirCore

/// A score plugin ranks the nodes that passed the filters and picks the devices on the winner.
/// Higher is better; ties go to the lowest node index (the cluster's tie order).
///
/// Scoring returns only a number because it runs for every feasible node of every pod; the devices
/// are asked for once, on the winner.
public protocol ScorePlugin: Sendable {
    static var name: String { get }
    /// Called once per pod before its nodes are scored (Kubernetes' PreScore).
    mutating func prepare(_ pod: PodRequest, in cluster: ClusterState)
    /// Score of placing `pod` on node `index`.
    mutating func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double
    /// The devices `pod` takes on node `index`, the winner.
    mutating func devices(for pod: PodRequest, node index: Int, in cluster: ClusterState) -> [Int]
}

extension ScorePlugin {
    public mutating func prepare(_ pod: PodRequest, in cluster: ClusterState) {}
    public mutating func devices(for pod: PodRequest, node index: Int, in cluster: ClusterState) -> [Int] {
        DeviceChoice.tightest(pod, on: cluster.nodes[index])
    }
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
        return firstFree(pod.gpus, on: node)
    }

    /// `chosen` (a policy's pick) unless the pod is a share that asks for GPU memory the chosen device
    /// no longer has; then the tightest device with enough milli and memory. Every policy's pick goes
    /// through this, so no device is promised more share memory than it has.
    public static func honouringShareMemory(_ chosen: [Int], _ pod: PodRequest, on node: NodeCapacity) -> [Int] {
        guard pod.shareMemoryMiB > 0, !chosen.allSatisfy({ pod.shareFits(device: $0, on: node) }) else { return chosen }
        var best = -1
        for g in node.gpuFree.indices where pod.shareFits(device: g, on: node) && (best < 0 || node.gpuFree[g] < node.gpuFree[best]) {
            best = g
        }
        return best < 0 ? [] : [best]
    }

    /// The first `count` fully free devices in index order (the simulator's `AllocateExclusiveGpuId`).
    public static func firstFree(_ count: Int, on node: NodeCapacity) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        for (g, free) in node.gpuFree.enumerated() where free == 1000 && out.count < count { out.append(g) }
        return out
    }
}

/// The capacity vectors the openb baselines normalise by: the largest node has 128 cores and 8 GPUs.
enum MaxSpec {
    static let cpu = 128_000.0
    static let gpu = 8_000.0
}
