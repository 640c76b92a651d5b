/// What a node agent sends once a minute (`POST /v1/agent/reports`): the GPUs it found on its node
/// and their readings. The server reconciles the discovery with the inventory (a GPU missing from it
/// fails, a MIG mode change is recorded), turns XID/ECC errors into device health, and passes the
/// samples on to telemetry.
public struct AgentReport: Codable, Hashable, Sendable {
    public var node: NodeID
    /// Every GPU the agent found, by index; a GPU of the inventory that is not here is missing.
    public var devices: [DiscoveredDevice]
    /// Readings of those GPUs (device ids `<node>/gpu<index>`), oldest first per device.
    public var samples: [DeviceSample]

    public init(node: NodeID, devices: [DiscoveredDevice], samples: [DeviceSample]) {
        self.node = node
        self.devices = devices
        self.samples = samples
    }
}

/// One GPU as the node's tools describe it.
public struct DiscoveredDevice: Codable, Hashable, Sendable {
    /// The CUDA ordinal (`nvidia-smi` index); the inventory's device index.
    public var index: Int
    /// `GPU-…` as the driver reports it (masked in the shared captures).
    public var uuid: String?
    /// The product name as the driver spells it (`NVIDIA H100 80GB HBM3`).
    public var name: String
    /// The catalog model it maps to (`H100-80GB`); nil when the catalog does not know the name.
    public var model: String?
    public var memoryMiB: Int?
    /// MIG mode as the driver reports it now; nil when the GPU cannot do MIG (or the tool did not say).
    public var migEnabled: Bool?
    public var migInstances: [MIGInstance]
    /// Links to the node's other GPUs (`nvidia-smi topo -m`).
    public var links: [DeviceLink]
    /// The last XID error code the source saw (DCGM's `DCGM_FI_DEV_XID_ERRORS`); nil or 0: none.
    public var lastXid: Int?

    public init(
        index: Int, uuid: String? = nil, name: String, model: String? = nil, memoryMiB: Int? = nil, migEnabled: Bool? = nil,
        migInstances: [MIGInstance] = [], links: [DeviceLink] = [], lastXid: Int? = nil
    ) {
        self.index = index
        self.uuid = uuid
        self.name = name
        self.model = model
        self.memoryMiB = memoryMiB
        self.migEnabled = migEnabled
        self.migInstances = migInstances
        self.links = links
        self.lastXid = lastXid
    }
}

/// One MIG device (a GPU instance, or a compute instance inside one) of a GPU in MIG mode.
public struct MIGInstance: Codable, Hashable, Sendable {
    /// `3g.40gb`, or `1c.3g.71gb` for a compute instance; nil where the source does not name it (`-q`, XML).
    public var profile: String?
    public var uuid: String?
    public var gpuInstance: Int?
    public var computeInstance: Int?
    public var memoryMiB: Int?
    public var memoryUsedMiB: Int?

    public init(profile: String? = nil, uuid: String? = nil, gpuInstance: Int? = nil, computeInstance: Int? = nil, memoryMiB: Int? = nil, memoryUsedMiB: Int? = nil) {
        self.profile = profile
        self.uuid = uuid
        self.gpuInstance = gpuInstance
        self.computeInstance = computeInstance
        self.memoryMiB = memoryMiB
        self.memoryUsedMiB = memoryUsedMiB
    }
}

/// How a GPU reaches another GPU of its node: `NV18` (18 bonded NVLinks), `PIX`, `PXB`, `PHB`, `NODE`, `SYS`.
public struct DeviceLink: Codable, Hashable, Sendable {
    public var peer: Int
    public var kind: String

    public init(peer: Int, kind: String) {
        self.peer = peer
        self.kind = kind
    }

    /// The number of bonded NVLinks (`NV18` → 18); nil for a PCIe or SMP path.
    public var nvlinks: Int? { kind.hasPrefix("NV") ? Int(kind.dropFirst(2)) : nil }
}

/// Limits on what a node agent may report, so a broken or hostile agent cannot flood the server (the
/// sample ranges are those telemetry's ingest holds samples to; the API document states them).
extension Bounds {
    /// Samples in one report: 8 GPUs × 10 hours of minutes held back by an outage (a body is at most 1 MiB).
    public static let agentSamples: ClosedRange<Int> = 0...5_000
    public static let reportedUtilPercent: ClosedRange<Double> = 0...100
    public static let reportedPowerWatts: ClosedRange<Double> = 0...10_000
    public static let reportedTemperature: ClosedRange<Double> = -50...200
    /// XID or ECC errors in one reading.
    public static let reportedErrors: ClosedRange<Int> = 0...1_000_000
    /// XID codes (NVIDIA documents codes below 200).
    public static let reportedXid: ClosedRange<Int> = 0...10_000
}
