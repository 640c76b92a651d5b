/// The resolutions telemetry is kept at: raw minutes for a short while, then hourly and daily
/// roll-ups for longer (retention per resolution is a setting).
public enum TelemetryResolution: String, Codable, Hashable, Sendable, CaseIterable {
    case minute, hour, day

    /// The width of one bucket, in seconds.
    public var seconds: Double {
        switch self {
        case .minute: 60
        case .hour: 3_600
        case .day: 86_400
        }
    }
}

/// What a utilization query is about: one device, or every device a node, pool, tenant, job,
/// service or GPU model held, or the whole reservoir.
public enum UtilizationScope: Hashable, Sendable {
    case reservoir
    case device(DeviceID)
    case node(NodeID)
    case pool(PoolID)
    case model(String)
    case tenant(TenantID)
    case job(JobID)
    case service(ServiceID)
}

/// A utilization query: a scope, a time range `[since, until)` and a resolution.
public struct UtilizationQuery: Hashable, Sendable {
    public var scope: UtilizationScope
    public var since: Double
    public var until: Double
    public var resolution: TelemetryResolution

    public init(scope: UtilizationScope, since: Double, until: Double, resolution: TelemetryResolution) {
        self.scope = scope
        self.since = since
        self.until = until
        self.resolution = resolution
    }
}

/// One bucket of a utilization series: means and peaks over the devices of the scope and the
/// samples in the bucket. Memory is also given as a fraction of the devices' memory so that pools
/// of different models compare.
public struct UtilizationPoint: Codable, Hashable, Sendable {
    /// Start of the bucket, seconds since the Unix epoch.
    public var at: Double
    public var gpuUtilMean: Double
    public var gpuUtilMax: Double
    public var memoryUsedMiBMean: Double
    /// Memory in use over memory present, 0…1.
    public var memoryFractionMean: Double
    public var memoryFractionMax: Double
    /// Distinct devices that reported in the bucket.
    public var devices: Int
    /// Device samples the bucket summarises.
    public var samples: Int
    /// Power and temperature over the samples that reported them; nil when none did.
    public var powerWattsMean: Double?
    public var powerWattsMax: Double?
    public var temperatureCelsiusMean: Double?
    public var temperatureCelsiusMax: Double?
    /// XID and uncorrectable ECC errors reported in the bucket (a sum of the samples' counts); nil when none reported them.
    public var xidErrors: Int?
    public var eccErrors: Int?

    public init(
        at: Double, gpuUtilMean: Double, gpuUtilMax: Double, memoryUsedMiBMean: Double, memoryFractionMean: Double,
        memoryFractionMax: Double, devices: Int, samples: Int, powerWattsMean: Double? = nil, powerWattsMax: Double? = nil,
        temperatureCelsiusMean: Double? = nil, temperatureCelsiusMax: Double? = nil, xidErrors: Int? = nil, eccErrors: Int? = nil
    ) {
        self.powerWattsMean = powerWattsMean
        self.powerWattsMax = powerWattsMax
        self.temperatureCelsiusMean = temperatureCelsiusMean
        self.temperatureCelsiusMax = temperatureCelsiusMax
        self.xidErrors = xidErrors
        self.eccErrors = eccErrors
        self.at = at
        self.gpuUtilMean = gpuUtilMean
        self.gpuUtilMax = gpuUtilMax
        self.memoryUsedMiBMean = memoryUsedMiBMean
        self.memoryFractionMean = memoryFractionMean
        self.memoryFractionMax = memoryFractionMax
        self.devices = devices
        self.samples = samples
    }
}

extension UtilizationPoint {
    /// The sample-weighted means of a series of buckets — GPU utilization (percent) and memory in use (fraction
    /// 0…1) — so a bucket with more samples counts more; nil when no bucket has samples. The one averaging
    /// the utilization summary, the alert window and the monthly report all use.
    public static func sampleWeightedMeans(_ points: [UtilizationPoint]) -> (gpuUtil: Double, memoryFraction: Double)? {
        let samples = Double(points.reduce(0) { $0 + $1.samples })
        guard samples > 0 else { return nil }
        return (
            points.reduce(0) { $0 + $1.gpuUtilMean * Double($1.samples) } / samples,
            points.reduce(0) { $0 + $1.memoryFractionMean * Double($1.samples) } / samples
        )
    }
}
