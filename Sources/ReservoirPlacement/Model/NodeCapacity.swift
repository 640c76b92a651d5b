import ReservoirCore

/// One node's capacity as the placement sees it during a cycle: totals, what is still free,
/// and the free milli-GPU of every device. A value type, so a cycle can try and undo.
public struct NodeCapacity: Sendable, Hashable {
    public let id: NodeID
    public let pool: PoolID
    /// Canonical model of the node's GPUs (empty for CPU-only nodes).
    public let model: String
    public let labels: [String: String]
    public let taints: [Taint]
    public let rack: String?
    /// NVLink island per device index (nil: PCIe only).
    public let islands: [Int?]
    public let totalCPU: Int
    public let totalMemory: Int
    public var freeCPU: Int
    public var freeMemory: Int
    /// Free milli-GPU per device index; a device that is not schedulable (failed, maintenance) is 0
    /// and listed in `unusable`.
    public var gpuFree: [Int]
    public let unusable: Set<Int>
    /// False when the node is cordoned or down: nothing new lands on it.
    public let schedulable: Bool

    public init(
        id: NodeID, pool: PoolID, model: String, gpuCount: Int, cpuMilli: Int, memoryMiB: Int,
        labels: [String: String] = [:], taints: [Taint] = [], rack: String? = nil, islands: [Int?]? = nil,
        unusable: Set<Int> = [], schedulable: Bool = true
    ) {
        self.id = id
        self.pool = pool
        self.model = model
        self.labels = labels
        self.taints = taints
        self.rack = rack
        self.islands = islands ?? Array(repeating: nil, count: gpuCount)
        self.totalCPU = cpuMilli
        self.totalMemory = memoryMiB
        self.freeCPU = cpuMilli
        self.freeMemory = memoryMiB
        self.gpuFree = (0..<gpuCount).map { unusable.contains($0) ? 0 : 1000 }
        self.unusable = unusable
        self.schedulable = schedulable
    }

    public var gpuCount: Int { gpuFree.count }
    public var totalGPUMilli: Int { (gpuCount - unusable.count) * 1000 }
    public var freeGPUMilli: Int { gpuFree.reduce(0, +) }
    /// Devices with nothing allocated.
    public var fullyFreeGPUs: Int { gpuFree.lazy.filter { $0 == 1000 }.count }
}
