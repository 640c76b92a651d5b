/// What one replica of a job asks for.
///
/// GPUs are asked for either whole (`gpus` ≥ 1, `gpuMilli` = 1000) or as a share of a single GPU
/// (`gpus` = 1, `gpuMilli` < 1000), or as a MIG instance (`migProfile`, e.g. `3g.40gb`).
public struct ResourceRequest: Codable, Hashable, Sendable {
    /// Number of GPUs per replica; 0 for CPU-only work.
    public var gpus: Int
    /// Milli-GPU per GPU: 1000 for whole GPUs, less for a shared GPU (only when `gpus == 1`).
    public var gpuMilli: Int
    public var cpuMilli: Int
    public var memoryMiB: Int
    /// Allowed device models (any spelling the catalog knows); empty means any.
    public var models: [String]
    /// MIG profile for a MIG instance request, e.g. `1g.10gb`.
    public var migProfile: String?
    /// GPU memory a share needs on its device (MiB); the placement puts it only on a device with
    /// that much share memory left, and no device is ever promised more than it has. Nil: not asked.
    public var gpuMemoryMiB: Int?
    /// Node labels that must match exactly.
    public var nodeSelector: [String: String]
    public var tolerations: [Toleration]

    public init(
        gpus: Int = 0, gpuMilli: Int = 1000, cpuMilli: Int = 1000, memoryMiB: Int = 1024, models: [String] = [],
        migProfile: String? = nil, gpuMemoryMiB: Int? = nil, nodeSelector: [String: String] = [:], tolerations: [Toleration] = []
    ) {
        self.gpus = gpus
        self.gpuMilli = gpus == 0 ? 0 : gpuMilli
        self.cpuMilli = cpuMilli
        self.memoryMiB = memoryMiB
        self.models = models
        self.migProfile = migProfile
        self.gpuMemoryMiB = gpuMemoryMiB
        self.nodeSelector = nodeSelector
        self.tolerations = tolerations
    }

    /// Total milli-GPU this replica occupies.
    public var totalGPUMilli: Int { gpus * gpuMilli }

    /// A share of one GPU's time (not a MIG instance, not whole GPUs).
    public var isShare: Bool { gpus == 1 && gpuMilli < 1000 && migProfile == nil }

    /// Parses a model constraint written as `V100M16|V100M32`.
    public static func parseModels(_ spec: String) -> [String] {
        spec.split(separator: "|").map { trimmedWhitespace($0) }.filter { !$0.isEmpty }
    }

    /// Rejects requests that can never make sense, naming the field.
    public func validate(prefix: String = "request") throws(ReservoirError) {
        try Bounds.check(gpus, "\(prefix).gpus", in: Bounds.replicaGPUs, unit: "GPUs per replica")
        if gpus > 0 {
            try Bounds.check(gpuMilli, "\(prefix).gpuMilli", in: Bounds.gpuMilli)
            guard gpuMilli == 1000 || gpus == 1 else {
                throw .invalid("\(prefix).gpuMilli", "a GPU share (< 1000 milli) is only possible with gpus = 1")
            }
        }
        if let gpuMemoryMiB {
            guard isShare else { throw .invalid("\(prefix).gpuMemoryMiB", "is only for a GPU share (gpus = 1, gpuMilli < 1000)") }
            try Bounds.check(gpuMemoryMiB, "\(prefix).gpuMemoryMiB", in: Bounds.shareMemoryMiB)
        }
        try Bounds.check(cpuMilli, "\(prefix).cpuMilli", in: Bounds.replicaCPUMilli)
        try Bounds.check(memoryMiB, "\(prefix).memoryMiB", in: Bounds.replicaMemoryMiB)
        guard gpus > 0 || cpuMilli > 0 || memoryMiB > 0 else {
            throw .invalid(prefix, "asks for nothing: set gpus, cpuMilli or memoryMiB")
        }
    }
}

/// Trims surrounding whitespace without Foundation, so the core stays dependency-free.
func trimmedWhitespace<S: StringProtocol>(_ s: S) -> String {
    var sub = Substring(s)
    while let f = sub.first, f.isWhitespace { sub.removeFirst() }
    while let l = sub.last, l.isWhitespace { sub.removeLast() }
    return String(sub)
}
