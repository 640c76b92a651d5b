/// A device's résumé (SPEC §4 resource profiles): what it is (the catalog's figures), how it has
/// been used (7-day mean utilization, recent kinds of work and their mean runtime) and how reliable
/// it has been (30-day fault count), and the class profile matching sends work to it by.
public struct DeviceProfile: Codable, Hashable, Sendable {
    public var device: DeviceID
    public var node: NodeID
    /// The device's index on its node.
    public var index: Int
    public var pool: PoolID
    public var model: String
    public var memoryMiB: Int
    /// From the catalog; 0 for undisclosed models.
    public var memoryBandwidthGBps: Double
    /// Whether the device sits in an NVLink island with other devices of its node.
    public var nvlink: Bool
    public var pricePerHour: Double
    public var priceClass: PriceClass
    /// Mean GPU utilization over the last 7 days, 0…100 %; nil when no telemetry was recorded.
    public var utilization7d: Double?
    /// Faults (XID, ECC, missing from discovery) in the last 30 days.
    public var faults30d: Int
    /// Jobs that held the device in the last 30 days, by kind (`training`, `inference`, …).
    public var recentKinds: [String: Int]
    /// Mean runtime of the finished jobs among them, seconds; nil when none finished.
    public var meanRuntimeSeconds: Double?
    public var deviceClass: DeviceClass
    /// Too many recent faults: placement scores the device down (`profiles.unreliableFaults`).
    public var unreliable: Bool
    /// Why the class, in an operator's words ("highest memory bandwidth share: 1555 of 4800 GB/s").
    public var reason: String

    public init(
        device: DeviceID, node: NodeID, index: Int, pool: PoolID, model: String, memoryMiB: Int, memoryBandwidthGBps: Double, nvlink: Bool,
        pricePerHour: Double, utilization7d: Double?, faults30d: Int, recentKinds: [String: Int], meanRuntimeSeconds: Double?,
        deviceClass: DeviceClass, unreliable: Bool, reason: String
    ) {
        self.device = device
        self.node = node
        self.index = index
        self.pool = pool
        self.model = model
        self.memoryMiB = memoryMiB
        self.memoryBandwidthGBps = memoryBandwidthGBps
        self.nvlink = nvlink
        self.pricePerHour = pricePerHour
        self.priceClass = PriceClass(pricePerHour: pricePerHour)
        self.utilization7d = utilization7d
        self.faults30d = faults30d
        self.recentKinds = recentKinds
        self.meanRuntimeSeconds = meanRuntimeSeconds
        self.deviceClass = deviceClass
        self.unreliable = unreliable
        self.reason = reason
    }
}
