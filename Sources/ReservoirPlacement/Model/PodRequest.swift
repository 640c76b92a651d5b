import ReservoirCore

/// What one replica needs from one node, in the units the placement works in.
public struct PodRequest: Sendable, Hashable {
    public var cpuMilli: Int
    public var memoryMiB: Int
    /// GPUs on one node; 0 for CPU-only.
    public var gpus: Int
    /// Milli per GPU: 1000 for whole GPUs, less for a share of one GPU.
    public var gpuMilli: Int
    /// Allowed canonical models; nil means any.
    public var models: Set<String>?
    public var nodeSelector: [String: String]
    public var tolerations: [Toleration]
    /// MIG profile (`3g.40gb`); the pod then takes one MIG instance on a MIG-mode GPU.
    public var migProfile: String?
    /// GPU memory (MiB) a share needs on its device; 0 when not asked.
    public var gpuMemoryMiB: Int
    /// What the work is, for profile matching (inference → low latency, training → memory, test → cheap).
    public var kind: WorkloadKind?
    /// Rack the rest of the pod's gang already runs in; topology scoring prefers it.
    public var preferredRack: String?

    public init(
        cpuMilli: Int, memoryMiB: Int, gpus: Int, gpuMilli: Int, models: Set<String>? = nil,
        nodeSelector: [String: String] = [:], tolerations: [Toleration] = [], migProfile: String? = nil,
        gpuMemoryMiB: Int = 0, kind: WorkloadKind? = nil, preferredRack: String? = nil
    ) {
        self.cpuMilli = cpuMilli
        self.memoryMiB = memoryMiB
        self.gpus = gpus
        self.gpuMilli = gpus == 0 ? 0 : gpuMilli
        self.models = models
        self.nodeSelector = nodeSelector
        self.tolerations = tolerations
        self.migProfile = migProfile
        self.gpuMemoryMiB = gpus == 0 ? 0 : gpuMemoryMiB
        self.kind = kind
        self.preferredRack = preferredRack
    }

    /// Total milli-GPU the pod takes.
    public var totalGPUMilli: Int { gpus * gpuMilli }
    public var isShare: Bool { gpus == 1 && gpuMilli < 1000 && migProfile == nil }
    /// Share memory the pod takes on its device: its GPU-memory request, for shares only.
    public var shareMemoryMiB: Int { isShare ? gpuMemoryMiB : 0 }

    /// Whether device `g` of `node` can hold this share: enough free milli and enough share memory left.
    @inline(__always)
    public func shareFits(device g: Int, on node: NodeCapacity) -> Bool {
        node.gpuFree[g] >= gpuMilli && node.gpuMemoryFree[g] >= shareMemoryMiB
    }
    /// Affinity class for GPU clustering: 0 for a share of one GPU, k for k whole GPUs, nil for CPU-only.
    public var affinityClass: Int? { gpus == 0 ? nil : (isShare ? 0 : gpus) }
}

/// Where one pod goes: a node (by index into the cluster state) and the devices it takes.
public struct Placement: Sendable, Hashable {
    public var node: Int
    public var gpuIndices: [Int]
    /// Milli taken on each listed device.
    public var gpuMilli: Int
    /// First memory slice of the MIG instance, for MIG requests.
    public var migStartSlice: Int?

    public init(node: Int, gpuIndices: [Int], gpuMilli: Int, migStartSlice: Int? = nil) {
        self.node = node
        self.gpuIndices = gpuIndices
        self.gpuMilli = gpuMilli
        self.migStartSlice = migStartSlice
    }
}

/// The answer of a placement attempt.
public enum PlacementOutcome: Sendable, Hashable {
    case placed(Placement)
    /// No node fits; per filter reason, how many nodes it rejected (the "0/1213 nodes: 800 insufficient GPU" answer).
    case unschedulable([String: Int])
}
