import ReservoirCore

/// Reads of the utilization signal, for every context that acts on it (services' autoscaling,
/// device profiles, reclamation, reports).
public protocol TelemetryReader: Sendable {
    /// The series of `query`, oldest bucket first; buckets without samples are left out.
    func utilization(_ query: UtilizationQuery) throws -> [UtilizationPoint]
}

/// Reads of device health history, for profiles (30-day fault counts) and the health views.
public protocol DeviceHealthReader: Sendable {
    /// Health events since `since`, oldest first, of one device or of all.
    func healthEvents(device: DeviceID?, since: Double) throws -> [DeviceHealthEvent]
}

/// A device as telemetry attributes it: where it sits and how much memory it has, as the inventory
/// says at ingest time.
public struct TelemetryDevice: Hashable, Sendable {
    public var id: DeviceID
    public var node: NodeID
    public var pool: PoolID
    public var model: String
    public var memoryMiB: Int

    public init(id: DeviceID, node: NodeID, pool: PoolID, model: String, memoryMiB: Int) {
        self.id = id
        self.node = node
        self.pool = pool
        self.model = model
        self.memoryMiB = memoryMiB
    }
}

/// The oldest instant kept at each resolution; everything before is pruned.
public struct TelemetryCutoffs: Hashable, Sendable {
    public var minute: Double
    public var hour: Double
    public var day: Double

    public init(minute: Double, hour: Double, day: Double) {
        self.minute = minute
        self.hour = hour
        self.day = day
    }
}

/// The telemetry context's port: device samples in (attributed and rolled up at ingest), retention
/// pruning, and the utilization reads beside them. Every sample carries the job, tenant and service
/// holding its device and the device's node, pool and model as they were when it arrived, so a
/// query by any of them reads no history of allocations or inventory.
public protocol TelemetryStore: TelemetryReader {
    /// The devices among `ids` the inventory holds now (unknown ids are absent).
    func telemetryDevices(_ ids: Set<DeviceID>) throws -> [DeviceID: TelemetryDevice]
    /// Stores validated samples, at most one per device and minute, in one transaction: each attributed
    /// to the job holding the most of its device now, and added to its hour and day roll-ups. A sample of
    /// a device and minute already stored is skipped. Returns how many were new.
    func recordSamples(_ samples: [DeviceSample], devices: [DeviceID: TelemetryDevice]) throws -> Int
    /// Like `recordSamples`, for samples of the past that today's allocations do not explain (the demo's
    /// seeded history): each attributed to the job `holders` names for its device (the one that held it
    /// then, with its tenant and service), to none when it names none.
    func recordPastSamples(_ samples: [DeviceSample], devices: [DeviceID: TelemetryDevice], holders: [DeviceID: JobID]) throws -> Int
    /// Deletes minute rows before `cutoffs.minute`, hour roll-ups before `cutoffs.hour` and day roll-ups
    /// before `cutoffs.day`; returns how many rows went.
    @discardableResult
    func pruneTelemetry(before cutoffs: TelemetryCutoffs) throws -> Int
    /// `utilization(_:)` of only the samples taken while a job of `tenant` held the device (nil: all):
    /// what a member of that tenant sees of a service or of its own work.
    func utilization(_ query: UtilizationQuery, tenant: TenantID?) throws -> [UtilizationPoint]
}
