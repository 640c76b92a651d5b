/// Settings of device resource profiles and per-job predictions (the `profiles:` section, docs/CONFIG.md).
public struct ProfileSettings: Codable, Hashable, Sendable {
    /// Seconds a computed set of profiles is reused before it is built again (a change of the inventory,
    /// a device's state or the health history rebuilds it at once).
    public var refreshSeconds: Double = 300
    /// Faults in 30 days that make a device unreliable: placement scores it down.
    public var unreliableFaults: Int = 1
    /// The percentile of past runtimes a runtime prediction gives (0.5…1): high, so predictions are
    /// seldom too short for backfill.
    public var predictionPercentile: Double = 0.9
    /// Finished jobs a level of history (same name, tenant, pool) needs before it answers.
    public var predictionMinimumSamples: Int = 3

    public init() {}
}
