/// Settings of `/metrics` (the `metrics:` section, docs/CONFIG.md).
public struct MetricsSettings: Codable, Hashable, Sendable {
    /// Also export utilization per device (a `device` label on every device): thousands of series on a
    /// large reservoir, so off unless the operator's Prometheus can take them.
    public var perDeviceLabels = false

    public init() {}
}
