import ReservoirStore

/// How long telemetry is kept at each resolution (`telemetry:` in the configuration file). Raw minutes
/// are kept briefly (they are 8.9 million rows a day on 6,212 GPUs), hourly roll-ups for a season,
/// daily roll-ups for years of trends.
public struct TelemetrySettings: Codable, Sendable, Hashable {
    /// Days raw minute samples are kept; a reported sample older than this is refused.
    public var minuteRetentionDays: Double = 2
    /// Days hourly roll-ups are kept.
    public var hourRetentionDays: Double = 90
    /// Days daily roll-ups are kept.
    public var dayRetentionDays: Double = 730
    /// Minutes of Reservoir's clock between retention prunes (a prune runs with the first report after).
    public var pruneIntervalMinutes: Double = 10

    // Sampling of the engines that read their devices (`TelemetryService`), apart from retention.

    /// Seconds of Reservoir's clock between two samples of every device the engines can read (the simulator).
    public var sampleIntervalSeconds: Double = 60

    public init() {}

    /// The oldest instant kept at each resolution at `now`.
    public func cutoffs(at now: Double) -> TelemetryCutoffs {
        TelemetryCutoffs(minute: now - minuteRetentionDays * 86_400, hour: now - hourRetentionDays * 86_400, day: now - dayRetentionDays * 86_400)
    }
}
