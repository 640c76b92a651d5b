import ReservoirCore

/// One node's capacity as the placement sees it during a cycle: totals, what is still free,
/// and the free milli-GPU of every device. A value type, so a cycle can try and undo.
///
/// What never changes during a cycle lives in one shared immutable box, so copying a node (which
/// placement does for every node of every pod) costs a few reference counts, not a dozen.
public struct NodeCapacity: Sendable, Hashable {
    /// The fixed description of the node.
    public struct Description: Sendable, Hashable {
        public var id: NodeID
        public var pool: PoolID
        /// Canonical model of the node's GPUs (empty for CPU-only nodes).
        public var model: String
        public var labels: [String: String]
        public var taints: [Taint]
        public var rack: String?
        /// NVLink island per device index (nil: PCIe only).
        public var islands: [Int?]
        public var totalCPU: Int
        public var totalMemory: Int
        /// Devices that are not schedulable (failed, maintenance); their free milli stays 0.
        public var unusable: Set<Int>
        /// False when the node is cordoned or down: nothing new lands on it.
        public var schedulable: Bool
        /// True when the node's GPUs run in MIG mode: they take only MIG instances, placed by the
        /// model's geometry (`MIGGeometry`), and never plain shares or whole-GPU pods.
        public var migEnabled: Bool
        /// The node's device class from its resource profile (`ProfileBuilder`); nil when not profiled.
        public var deviceClass: DeviceClass?
        /// Devices flagged unreliable by their profile (recent faults): profile matching scores the node down.
        public var recentFaults: Set<Int>
    }

    private final class Box: Sendable, Hashable {
        let value: Description
        init(_ value: Description) { self.value = value }
        static func == (a: Box, b: Box) -> Bool { a === b || a.value == b.value }
        func hash(into hasher: inout Hasher) { hasher.combine(value) }
    }

    private let box: Box
    public var freeCPU: Int
    public var freeMemory: Int
    /// Free milli-GPU per device index; an unusable device is 0.
    public var gpuFree: [Int]
    /// Per device, the GPU memory (MiB) not yet promised to shares that asked for memory.
    public var gpuMemoryFree: [Int]
    /// Per device, the memory slices held by MIG instances (bit i = slice i) and bit 8 for the one
    /// media-extension (`+me`) instance a GPU allows.
    public var migSlices: [UInt16]
    /// GPU pods on the node by affinity class (0: shares of a GPU, k: k whole GPUs); GPU-clustering
    /// scores by it, so the state keeps it current in `apply` and `release`.
    public var gpuAffinity: [Int: Int]

    /// `gpuMemoryMiB` is each device's memory, the share memory it can promise; nil when unknown
    /// (shares' memory requests are then not limited).
    public init(
        id: NodeID, pool: PoolID, model: String, gpuCount: Int, cpuMilli: Int, memoryMiB: Int,
        labels: [String: String] = [:], taints: [Taint] = [], rack: String? = nil, islands: [Int?]? = nil,
        unusable: Set<Int> = [], schedulable: Bool = true, migEnabled: Bool = false, gpuMemoryMiB: [Int]? = nil,
        deviceClass: DeviceClass? = nil, recentFaults: Set<Int> = []
    ) {
        box = Box(Description(
            id: id, pool: pool, model: model, labels: labels, taints: taints, rack: rack,
            islands: islands ?? Array(repeating: nil, count: gpuCount), totalCPU: cpuMilli, totalMemory: memoryMiB,
            unusable: unusable, schedulable: schedulable, migEnabled: migEnabled, deviceClass: deviceClass,
            recentFaults: recentFaults
        ))
        freeCPU = cpuMilli
        freeMemory = memoryMiB
        gpuFree = (0..<gpuCount).map { unusable.contains($0) ? 0 : 1000 }
        gpuMemoryFree = gpuMemoryMiB ?? Array(repeating: Int.max / 2, count: gpuCount)
        migSlices = Array(repeating: 0, count: gpuCount)
        gpuAffinity = [:]
    }

    public var description: Description { box.value }
    /// Identity of the fixed description: equal only for copies of the same `NodeCapacity` value,
    /// so caches can tell "the same cluster, changed by apply/release" from "a cluster rebuilt".
    var identity: AnyObject { box }
    public var id: NodeID { box.value.id }
    public var pool: PoolID { box.value.pool }
    public var model: String { box.value.model }
    public var labels: [String: String] { box.value.labels }
    public var taints: [Taint] { box.value.taints }
    public var rack: String? { box.value.rack }
    public var islands: [Int?] { box.value.islands }
    public var totalCPU: Int { box.value.totalCPU }
    public var totalMemory: Int { box.value.totalMemory }
    public var unusable: Set<Int> { box.value.unusable }
    public var schedulable: Bool { box.value.schedulable }
    public var migEnabled: Bool { box.value.migEnabled }
    public var deviceClass: DeviceClass? { box.value.deviceClass }
    public var recentFaults: Set<Int> { box.value.recentFaults }

    public var gpuCount: Int { gpuFree.count }
    public var totalGPUMilli: Int { (gpuCount - unusable.count) * 1000 }
    public var freeGPUMilli: Int {
        var sum = 0
        for f in gpuFree { sum += f }
        return sum
    }
    /// Devices with nothing allocated.
    public var fullyFreeGPUs: Int {
        var n = 0
        for f in gpuFree where f == 1000 { n += 1 }
        return n
    }
}
