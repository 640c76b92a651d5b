/// Settings of inference services (`services:` in the configuration file, docs/CONFIG.md).
public struct ServicesSettings: Codable, Hashable, Sendable {
    /// Seconds between autoscaler passes when nothing wakes it earlier.
    public var autoscaleIntervalSeconds = 30.0
    /// Tier 2: move reserve nodes into a service's pool at once, or record a request an operator approves.
    public var reserve = ReserveMode.approval
    /// Seconds a replica waits for capacity before the region's reserve is asked (tier 2 or 3).
    public var reserveAfterSeconds = 120.0

    public init() {}
}

/// How a tier-2 capacity request is granted.
public enum ReserveMode: String, Codable, Hashable, Sendable, CaseIterable {
    case automatic, approval
}
