/// Reservoir's default policy: fragmentation-aware like FGD, but it understands that a GPU is
/// lost just as surely when its node runs out of CPU or memory as when it is cut into unusable slivers.
///
/// A node's expected stranded GPU milli is the sum of three parts:
/// - fragmentation over the typical GPU pods (`GPUFragmentation.multiResource`): a shape counts as
///   placeable only if the node also has its CPU **and memory**; CPU-only shapes are left out because
///   they never use a GPU;
/// - CPU/memory shortfall: the free GPU milli that the node's free CPU (or memory) could not feed at
///   the typical GPU pods' average CPU (memory) per GPU milli;
/// - reservation: a pod that could run on several models pays, per GPU milli it takes, the share of
///   that model's capacity that pods restricted to few models will need (`reservations`), so it
///   leaves e.g. the T4s to the T4-only pods.
/// The pod goes where it raises that sum least, compared as real numbers (FGD's integer sigmoid
/// turns most decisions into ties that the random node order then breaks).
public struct ReservoirScore: ScorePlugin {
    public static let name = "reservoir"
    private var frag: GPUFragmentation
    private var cache = NodeCache()
    private var scratch = NodeScratch()
    private var memo = ScoreMemo()
    private let cpuPerMilli: Double
    private let memoryPerMilli: Double
    /// Per model slot, the share of the model's GPUs that pods restricted to few models will need (0…1).
    private var reserved: [Int: Double] = [:]
    private let workload: TypicalPods
    private let reservation: Double

    /// - Parameter reservation: weight of the reservation term (0 turns it off).
    public init(workload: TypicalPods, reservation: Double = 1) {
        self.workload = workload
        self.reservation = reservation
        frag = GPUFragmentation(workload, mode: .multiResource)
        let gpuShapes = workload.shapes.filter { $0.gpus > 0 }
        let milli = gpuShapes.reduce(0.0) { $0 + $1.weight * Double($1.gpus * $1.gpuMilli) }
        cpuPerMilli = gpuShapes.reduce(0.0) { $0 + $1.weight * Double($1.cpuMilli) } / max(milli, 1)
        memoryPerMilli = gpuShapes.reduce(0.0) { $0 + $1.weight * Double($1.memoryMiB) } / max(milli, 1)
    }

    public mutating func prepare(_ pod: PodRequest, in cluster: ClusterState) {
        if cache.prepare(cluster, slot: { frag.slot(for: $0) }) {
            memo.reset()
            reserved = Self.reservations(workload, cluster, slots: cache.slots)
        }
        memo.begin(pod, nodeCount: cluster.nodes.count)
    }

    public mutating func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        if let s = memo.lookup(index, cluster.nodes[index]) { return s }
        let s = best(pod, node: index, in: cluster).score
        memo.store(s, index, cluster.nodes[index])
        return s
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
        // Best fit, in milli-GPU: the leftover CPU (as GPU-equivalents) plus the leftover GPU.
        var short = shortfall(gpu: gpuAfter, cpu: cpu, memory: memory)
        if pod.gpus > 0, (pod.models?.count ?? 2) > 1 {
            short += reservation * (reserved[slot] ?? 0) * Double(pod.totalGPUMilli)
        }
        if !pod.isShare {
            let after = scratch.after(node.gpuFree, gpu: -1, milli: 1000, gpus: pod.gpus) {
                frag.amount(slot: slot, cpu: cpu, memory: memory, gpuFree: $0)
            }
            return (before - after - short, -1)
        }
        var bestScore = -Double.infinity
        var bestGPU = -1
        for g in node.gpuFree.indices where node.gpuFree[g] >= pod.gpuMilli {
            if node.gpuFree[..<g].contains(node.gpuFree[g]) { continue }
            let after = scratch.after(node.gpuFree, gpu: g, milli: pod.gpuMilli, gpus: 1) {
                frag.amount(slot: slot, cpu: cpu, memory: memory, gpuFree: $0)
            }
            if before - after - short > bestScore { (bestScore, bestGPU) = (before - after - short, g) }
        }
        return (bestScore, bestGPU)
    }

    /// For each model slot: how much of its GPU capacity the typical pods that may use only some
    /// models will ask for, relative to the workload's average demand per GPU, capped at 1. Their
    /// demand is spread over their allowed models by capacity.
    static func reservations(_ workload: TypicalPods, _ cluster: ClusterState, slots: [Int]) -> [Int: Double] {
        var capacity: [String: Double] = [:]
        var slotOf: [String: Int] = [:]
        for (i, node) in cluster.nodes.enumerated() {
            capacity[node.model, default: 0] += Double(node.totalGPUMilli)
            slotOf[node.model] = slots[i]
        }
        let total = capacity.values.reduce(0, +)
        let demand = workload.shapes.reduce(0.0) { $0 + $1.weight * Double($1.gpus * $1.gpuMilli) }
        guard total > 0, demand > 0 else { return [:] }
        var density: [String: Double] = [:]
        for s in workload.shapes where s.gpus > 0 {
            guard let models = s.models else { continue }
            let allowed = models.reduce(0.0) { $0 + (capacity[$1] ?? 0) }
            guard allowed > 0 else { continue }
            for m in models where capacity[m] != nil { density[m, default: 0] += s.weight * Double(s.gpus * s.gpuMilli) / allowed }
        }
        var out: [Int: Double] = [:]
        for (m, d) in density { out[slotOf[m]!] = min(1, d / (demand / total)) }
        return out
    }

    /// Free GPU milli the node's CPU or memory could not feed: max(0, gpu − cpu / r_cpu, gpu − memory / r_mem).
    private func shortfall(gpu: Int, cpu: Int, memory: Int) -> Double {
        guard gpu > 0 else { return 0 }
        let byCPU = cpuPerMilli > 0 ? Double(gpu) - Double(cpu) / cpuPerMilli : 0
        let byMemory = memoryPerMilli > 0 ? Double(gpu) - Double(memory) / memoryPerMilli : 0
        return max(0, byCPU, byMemory)
    }
}
