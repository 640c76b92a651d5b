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
public typealias ReservoirScore = FragmentationScore<ReservoirRule>

extension ReservoirScore {
    /// - Parameter reservation: weight of the reservation term (0 turns it off).
    public init(workload: TypicalPods, reservation: Double = 1) {
        self.init(rule: ReservoirRule(workload: workload, reservation: reservation),
                  frag: GPUFragmentation(workload, mode: .multiResource))
    }
}

/// Reservoir's rule: stranded GPU milli before minus after, less the pod's own shortfall and
/// reservation charge, compared as a real number.
public struct ReservoirRule: FragmentationRule {
    public static let name = "reservoir"
    private let cpuPerMilli: Double
    private let memoryPerMilli: Double
    /// Per model slot, the share of the model's GPUs that pods restricted to few models will need (0…1).
    private var reserved: [Int: Double] = [:]
    private let workload: TypicalPods
    private let reservation: Double

    init(workload: TypicalPods, reservation: Double) {
        self.workload = workload
        self.reservation = reservation
        let gpuShapes = workload.shapes.filter { $0.gpus > 0 }
        let milli = gpuShapes.reduce(0.0) { $0 + $1.weight * Double($1.gpus * $1.gpuMilli) }
        cpuPerMilli = gpuShapes.reduce(0.0) { $0 + $1.weight * Double($1.cpuMilli) } / max(milli, 1)
        memoryPerMilli = gpuShapes.reduce(0.0) { $0 + $1.weight * Double($1.memoryMiB) } / max(milli, 1)
    }

    public mutating func rebuilt(_ cluster: ClusterState, slots: [Int]) {
        reserved = Self.reservations(workload, cluster, slots: slots)
    }

    public func extra(_ node: NodeCapacity) -> Double {
        shortfall(gpu: node.freeGPUMilli, cpu: node.freeCPU, memory: node.freeMemory)
    }

    public func score(_ pod: PodRequest, on node: NodeCapacity, slot: Int, before: Double, after: Double) -> Double {
        // Best fit, in milli-GPU: the leftover CPU (as GPU-equivalents) plus the leftover GPU.
        var short = shortfall(gpu: node.freeGPUMilli - pod.totalGPUMilli, cpu: node.freeCPU - pod.cpuMilli,
                              memory: node.freeMemory - pod.memoryMiB)
        if pod.gpus > 0, (pod.models?.count ?? 2) > 1 {
            short += reservation * (reserved[slot] ?? 0) * Double(pod.totalGPUMilli)
        }
        return before - after - short
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
