/// The "target workload" that fragmentation-aware scoring looks ahead to: the most popular pod
/// shapes of a trace and how often each comes.
///
/// Built like the FGD simulator's `GetTypicalPods`: shapes are (CPU, GPU milli, GPU count, allowed
/// models), CPU-only pods included; the most frequent shapes are kept until they cover `coverage` of
/// the pods, then their frequencies are renormalised to sum to 1. FGD ignores memory; each shape
/// also carries its pods' mean memory for policies that do not.
public struct TypicalPods: Sendable, Hashable {
    public struct Shape: Sendable, Hashable {
        public var cpuMilli: Int
        public var gpus: Int
        public var gpuMilli: Int
        public var models: Set<String>?
        /// Mean memory of the pods of this shape.
        public var memoryMiB: Int
        /// Share of the workload, summing to 1 over all shapes.
        public var weight: Double

        public init(cpuMilli: Int, gpus: Int, gpuMilli: Int, models: Set<String>? = nil, memoryMiB: Int = 0, weight: Double) {
            self.cpuMilli = cpuMilli
            self.gpus = gpus
            self.gpuMilli = gpus == 0 ? 0 : gpuMilli
            self.models = models
            self.memoryMiB = memoryMiB
            self.weight = weight
        }

        /// Whether a node of `model` is allowed for this shape at all.
        public func allows(_ model: String) -> Bool { models?.contains(model) ?? true }
    }

    public var shapes: [Shape]

    public init(shapes: [Shape]) { self.shapes = shapes }

    /// The typical shapes of `pods`. Equally frequent shapes are ordered by (GPUs, milli, CPU) so the
    /// cut at `coverage` is deterministic (the simulator's Go map order is not).
    public init(pods: [PodRequest], coverage: Double = 0.95) {
        var tally = ShapeTally()
        for p in pods { tally.add(p, count: 1) }
        self.init(tally: tally, coverage: coverage)
    }

    /// The typical shapes of the pods counted in `tally` (see `init(pods:coverage:)`).
    public init(tally: ShapeTally, coverage: Double = 0.95) {
        let counts = tally.counts
        let order = tally.order.sorted { a, b in
            let ca = counts[a]!.n, cb = counts[b]!.n
            if ca != cb { return ca > cb }
            return (a.gpus, a.milli, a.cpu, a.models?.sorted().joined(separator: "|") ?? "")
                < (b.gpus, b.milli, b.cpu, b.models?.sorted().joined(separator: "|") ?? "")
        }
        let target = coverage * Double(tally.pods)
        var kept: [ShapeTally.Key] = []
        var covered = 0
        for k in order where Double(covered) < target {
            kept.append(k)
            covered += counts[k]!.n
        }
        shapes = kept.map { k in
            let c = counts[k]!
            return Shape(cpuMilli: k.cpu, gpus: k.gpus, gpuMilli: k.milli, models: k.models,
                         memoryMiB: c.memory / c.n, weight: Double(c.n) / Double(max(covered, 1)))
        }
    }

    /// A neutral mix for a server that has no history yet: CPU-only work, quarter and half GPUs,
    /// and 1, 2, 4 and 8 whole GPUs, with 8 cores and 32 GiB per GPU.
    public static let generic = TypicalPods(shapes: [
        Shape(cpuMilli: 8000, gpus: 0, gpuMilli: 0, memoryMiB: 32768, weight: 0.15),
        Shape(cpuMilli: 4000, gpus: 1, gpuMilli: 250, memoryMiB: 16384, weight: 0.15),
        Shape(cpuMilli: 4000, gpus: 1, gpuMilli: 500, memoryMiB: 16384, weight: 0.15),
        Shape(cpuMilli: 8000, gpus: 1, gpuMilli: 1000, memoryMiB: 32768, weight: 0.30),
        Shape(cpuMilli: 16000, gpus: 2, gpuMilli: 1000, memoryMiB: 65536, weight: 0.10),
        Shape(cpuMilli: 32000, gpus: 4, gpuMilli: 1000, memoryMiB: 131072, weight: 0.10),
        Shape(cpuMilli: 64000, gpus: 8, gpuMilli: 1000, memoryMiB: 262144, weight: 0.05),
    ])
}

/// Pods counted per shape (CPU, GPU count, GPU milli, allowed models) with their summed memory: what
/// `TypicalPods` is built from. Counting a job's replicas at once needs no pod per replica, so a
/// deep queue is tallied without building its pods.
public struct ShapeTally: Sendable {
    struct Key: Hashable { var cpu: Int, gpus: Int, milli: Int, models: Set<String>? }
    private(set) var counts: [Key: (n: Int, memory: Int)] = [:]
    /// Shapes in the order first seen (ties in `TypicalPods` keep it).
    private(set) var order: [Key] = []
    /// Pods counted.
    public private(set) var pods = 0

    public init() {}

    /// Counts `count` pods of `pod`'s shape.
    public mutating func add(_ pod: PodRequest, count: Int) {
        add(cpuMilli: pod.cpuMilli, memoryMiB: pod.memoryMiB, gpus: pod.gpus, gpuMilli: pod.gpuMilli, models: pod.models, count: count)
    }

    /// Counts `count` pods of this shape; `gpuMilli` is read as `PodRequest` reads it (0 without GPUs).
    public mutating func add(cpuMilli: Int, memoryMiB: Int, gpus: Int, gpuMilli: Int, models: Set<String>?, count: Int) {
        guard count > 0 else { return }
        let key = Key(cpu: cpuMilli, gpus: gpus, milli: gpus == 0 ? 0 : gpuMilli, models: models)
        if let c = counts[key] {
            counts[key] = (c.n + count, c.memory + memoryMiB * count)
        } else {
            counts[key] = (count, memoryMiB * count)
            order.append(key)
        }
        pods += count
    }
}
