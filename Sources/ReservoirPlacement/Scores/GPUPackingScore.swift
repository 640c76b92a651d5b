/// GPU packing (the simulator's `getPackingScore`): three tiers, best first.
/// 1. The pod fits on GPUs that are already partly used: `100 − Σ free% / 10`, at least 50.
/// 2. It must open fully free GPUs on a node already in use: `50 − GPUs opened`, at least 33.
/// 3. The node is entirely idle: `max(33 − GPUs, GPUs)` (the simulator's cap, kept as is).
/// CPU-only pods score 0 everywhere and go by tie order.
public struct GPUPackingScore: ScorePlugin {
    public static let name = "gpupacking"
    public init() {}
    public func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        guard pod.gpus > 0 else { return 0 }
        let node = cluster.nodes[index]
        let fullyFree = node.fullyFreeGPUs
        if fullyFree == node.gpuCount { return Double(max(33 - fullyFree, fullyFree)) }
        let order = node.gpuFree.indices.sorted { (node.gpuFree[$0], $0) < (node.gpuFree[$1], $1) }
        var need = pod.gpus
        var opened = 0
        var freePercent = 0
        for g in order where need > 0 && node.gpuFree[g] >= pod.gpuMilli {
            need -= 1
            if node.gpuFree[g] == 1000 { opened += 1 }
            freePercent += node.gpuFree[g] * 100 / 1000
        }
        if opened > 0 { return Double(max(50 - opened, 33)) }
        return Double(max(100 - freePercent / 10, 50))
    }
}
