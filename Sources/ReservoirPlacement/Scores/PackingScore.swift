/// Packing (Kubernetes `MostAllocated` over CPU, memory and GPU): the node that is fullest after
/// the pod wins, which keeps whole nodes empty for large jobs.
public struct PackingScore: ScorePlugin {
    public static let name = "packing"
    public init() {}
    public func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        Utilization.after(pod, on: cluster.nodes[index])
    }
}

/// Spread (Kubernetes `LeastAllocated`): the emptiest node wins, which evens out load and blast radius.
public struct SpreadScore: ScorePlugin {
    public static let name = "spread"
    public init() {}
    public func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        -Utilization.after(pod, on: cluster.nodes[index])
    }
}

/// Mean used fraction of CPU, memory and (where the node has GPUs) GPU once the pod is placed.
enum Utilization {
    static func after(_ pod: PodRequest, on node: NodeCapacity) -> Double {
        var sum = 0.0
        var parts = 0.0
        if node.totalCPU > 0 {
            sum += 1 - Double(node.freeCPU - pod.cpuMilli) / Double(node.totalCPU)
            parts += 1
        }
        if node.totalMemory > 0 {
            sum += 1 - Double(node.freeMemory - pod.memoryMiB) / Double(node.totalMemory)
            parts += 1
        }
        if node.totalGPUMilli > 0 {
            sum += 1 - Double(node.freeGPUMilli - pod.totalGPUMilli) / Double(node.totalGPUMilli)
            parts += 1
        }
        return parts == 0 ? 0 : sum / parts
    }
}
