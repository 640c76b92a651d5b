import ReservoirCore

/// What became of a telemetry report: every sample was valid (or nothing was stored), and each was
/// stored or was a duplicate of a device and minute already held.
public struct TelemetryIngestReceipt: Codable, Hashable, Sendable {
    /// Samples in the report.
    public var received: Int
    /// Samples stored: device-minutes not held before.
    public var accepted: Int
    /// Samples skipped: a device and minute repeated in the report or already stored (the first one counts).
    public var duplicates: Int

    public init(received: Int, accepted: Int, duplicates: Int) {
        self.received = received
        self.accepted = accepted
        self.duplicates = duplicates
    }
}

/// A utilization series and the figures rules act on (SPEC §6: daily peak, daily mean, 7- and 30-day means).
public struct UtilizationReport: Codable, Hashable, Sendable {
    public var scope: UtilizationScopeKind
    /// The device, node, pool, model, tenant, job or service; absent for the whole reservoir.
    public var id: String?
    public var since: Double
    public var until: Double
    public var resolution: TelemetryResolution
    /// Buckets overlapping `[since, until)` that have samples, oldest first.
    public var points: [UtilizationPoint]
    public var summary: UtilizationSummary

    public init(
        scope: UtilizationScopeKind, id: String?, since: Double, until: Double, resolution: TelemetryResolution, points: [UtilizationPoint],
        summary: UtilizationSummary
    ) {
        self.scope = scope
        self.id = id
        self.since = since
        self.until = until
        self.resolution = resolution
        self.points = points
        self.summary = summary
    }
}

/// Figures of a scope up to a report's `until`: the last 24 hours from the hourly roll-ups, the last 7 and
/// 30 days (UTC days, the current one included) from the daily roll-ups. Utilization in %, memory as a
/// fraction of the devices' memory; absent when the window has no samples.
public struct UtilizationSummary: Codable, Hashable, Sendable {
    public var dailyPeakGpuUtil: Double?
    public var dailyPeakMemoryFraction: Double?
    public var dailyMeanGpuUtil: Double?
    public var dailyMeanMemoryFraction: Double?
    public var weeklyMeanGpuUtil: Double?
    public var weeklyMeanMemoryFraction: Double?
    public var monthlyMeanGpuUtil: Double?
    public var monthlyMeanMemoryFraction: Double?

    public init() {}
}
