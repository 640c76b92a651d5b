#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reservoir's default policy: fragmentation-aware like FGD, but it understands that a GPU is
/// lost just as surely when its node runs out of CPU or memory as when it is cut into unusable slivers.
///
/// A node's expected stranded GPU milli is the sum of two parts:
/// - fragmentation over the typical GPU pods (`GPUFragmentation.multiResource`): a shape counts as
///   placeable only if the node also has its CPU **and memory**; CPU-only shapes are left out because
///   they never use a GPU;
/// - CPU/memory shortfall: the free GPU milli that the node's free CPU (or memory) could not feed at
///   the workload's average CPU (memory) per GPU milli, smoothed with a softplus so a node with a
///   thin margin is protected before the margin is gone.
/// The pod goes where it raises that sum least, compared as real numbers (FGD's integer sigmoid
/// turns most decisions into ties that the random node order then breaks).
public struct ReservoirScore: ScorePlugin {
    public static let name = "reservoir"
    private var frag: GPUFragmentation
    private var cache = NodeCache()
    private var scratch = NodeScratch()
    private let cpuPerMilli: Double
    private let memoryPerMilli: Double
    /// Softplus width, in milli-GPU.
    private let softness: Double

    public init(workload: TypicalPods, softness: Double = 250) {
        frag = GPUFragmentation(workload, mode: .multiResource)
        let gpuShapes = workload.shapes.filter { $0.gpus > 0 }
        let milli = gpuShapes.reduce(0.0) { $0 + $1.weight * Double($1.gpus * $1.gpuMilli) }
        cpuPerMilli = gpuShapes.reduce(0.0) { $0 + $1.weight * Double($1.cpuMilli) } / max(milli, 1)
        memoryPerMilli = gpuShapes.reduce(0.0) { $0 + $1.weight * Double($1.memoryMiB) } / max(milli, 1)
        self.softness = softness
    }

    public mutating func prepare(_ pod: PodRequest, in cluster: ClusterState) {
        cache.prepare(cluster, slot: { frag.slot(for: $0) })
    }

    public mutating func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        best(pod, node: index, in: cluster).score
    }

    public mutating func devices(for pod: PodRequest, node index: Int, in cluster: ClusterState) -> [Int] {
        guard pod.isShare else { return DeviceChoice.firstFree(pod.gpus, on: cluster.nodes[index]) }
        let g = best(pod, node: index, in: cluster).gpu
        return g < 0 ? [] : [g]
    }

    private mutating func best(_ pod: PodRequest, node i: Int, in cluster: ClusterState) -> (score: Double, gpu: Int) {
        let node = cluster.nodes[i]
        let slot = cache.slots[i]
        let before: Double
        if let v = cache.lookup(i, cluster) {
            before = v
        } else {
            before = scratch.with(node.gpuFree) { frag.amount(slot: slot, cpu: node.freeCPU, memory: node.freeMemory, gpuFree: $0) }
                + shortfall(gpu: node.freeGPUMilli, cpu: node.freeCPU, memory: node.freeMemory)
            cache.store(before, i, cluster)
        }
        let cpu = node.freeCPU - pod.cpuMilli
        let memory = node.freeMemory - pod.memoryMiB
        let gpuAfter = node.freeGPUMilli - pod.totalGPUMilli
        let short = shortfall(gpu: gpuAfter, cpu: cpu, memory: memory)
        if !pod.isShare {
            let after = scratch.after(node.gpuFree, gpu: -1, milli: 1000, gpus: pod.gpus) { frag.amount(slot: slot, cpu: cpu, memory: memory, gpuFree: $0) }
            return (before - after - short, -1)
        }
        var bestScore = -Double.infinity
        var bestGPU = -1
        for g in node.gpuFree.indices where node.gpuFree[g] >= pod.gpuMilli {
            if node.gpuFree[..<g].contains(node.gpuFree[g]) { continue }
            let after = scratch.after(node.gpuFree, gpu: g, milli: pod.gpuMilli, gpus: 1) { frag.amount(slot: slot, cpu: cpu, memory: memory, gpuFree: $0) }
            if before - after - short > bestScore { (bestScore, bestGPU) = (before - after - short, g) }
        }
        return (bestScore, bestGPU)
    }

    /// Free GPU milli the node's CPU or memory could not feed, softened: softplus(gpu − cpu / r).
    private func shortfall(gpu: Int, cpu: Int, memory: Int) -> Double {
        guard gpu > 0 else { return 0 }
        let gap = max(Double(gpu) - Double(cpu) / cpuPerMilli, Double(gpu) - Double(memory) / memoryPerMilli)
        let x = gap / softness
        return softness * (x > 30 ? x : log1p(exp(x)))
    }
}
