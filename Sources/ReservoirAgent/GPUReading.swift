import ReservoirCore

/// What one tool said about one GPU. Every parser returns these; `NodeSnapshot` merges the tools'
/// views of a node by index. A nil field means the tool did not say (or said `N/A`), never zero.
public struct GPUReading: Hashable, Sendable {
    public var index: Int
    public var uuid: String?
    /// The product name as the driver spells it.
    public var name: String?
    public var memoryTotalMiB: Int?
    public var memoryUsedMiB: Int?
    /// GPU (SM) utilization, %. `nvidia-smi` reports none for a GPU in MIG mode.
    public var gpuUtilPercent: Double?
    public var powerWatts: Double?
    public var temperatureCelsius: Double?
    public var migEnabled: Bool?
    public var migInstances: [MIGInstance]
    /// Uncorrectable ECC errors since the driver loaded (volatile), as the tool counts them.
    public var eccUncorrected: Int?
    /// The last XID error code (DCGM); 0 or nil: none.
    public var lastXid: Int?

    public init(
        index: Int, uuid: String? = nil, name: String? = nil, memoryTotalMiB: Int? = nil, memoryUsedMiB: Int? = nil,
        gpuUtilPercent: Double? = nil, powerWatts: Double? = nil, temperatureCelsius: Double? = nil, migEnabled: Bool? = nil,
        migInstances: [MIGInstance] = [], eccUncorrected: Int? = nil, lastXid: Int? = nil
    ) {
        self.index = index
        self.uuid = uuid
        self.name = name
        self.memoryTotalMiB = memoryTotalMiB
        self.memoryUsedMiB = memoryUsedMiB
        self.gpuUtilPercent = gpuUtilPercent
        self.powerWatts = powerWatts
        self.temperatureCelsius = temperatureCelsius
        self.migEnabled = migEnabled
        self.migInstances = migInstances
        self.eccUncorrected = eccUncorrected
        self.lastXid = lastXid
    }

    /// This reading with the fields it lacks taken from `other` (same GPU, another tool). MIG
    /// instances are joined position by position: `-L` names their profiles, `-q` gives their memory.
    public func filled(from other: GPUReading) -> GPUReading {
        var merged = self
        merged.uuid = uuid ?? other.uuid
        merged.name = name ?? other.name
        merged.memoryTotalMiB = memoryTotalMiB ?? other.memoryTotalMiB
        merged.memoryUsedMiB = memoryUsedMiB ?? other.memoryUsedMiB
        merged.gpuUtilPercent = gpuUtilPercent ?? other.gpuUtilPercent
        merged.powerWatts = powerWatts ?? other.powerWatts
        merged.temperatureCelsius = temperatureCelsius ?? other.temperatureCelsius
        merged.migEnabled = migEnabled ?? other.migEnabled
        merged.eccUncorrected = eccUncorrected ?? other.eccUncorrected
        merged.lastXid = lastXid ?? other.lastXid
        if migInstances.isEmpty {
            merged.migInstances = other.migInstances
        } else if migInstances.count == other.migInstances.count {
            merged.migInstances = zip(migInstances, other.migInstances).map { mine, theirs in
                MIGInstance(
                    profile: mine.profile ?? theirs.profile, uuid: mine.uuid ?? theirs.uuid, gpuInstance: mine.gpuInstance ?? theirs.gpuInstance,
                    computeInstance: mine.computeInstance ?? theirs.computeInstance, memoryMiB: mine.memoryMiB ?? theirs.memoryMiB,
                    memoryUsedMiB: mine.memoryUsedMiB ?? theirs.memoryUsedMiB)
            }
        }
        return merged
    }
}

/// A tool's output that could not be read, with the line it stopped at.
public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var source: String
    public var message: String

    public init(_ source: String, _ message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}
