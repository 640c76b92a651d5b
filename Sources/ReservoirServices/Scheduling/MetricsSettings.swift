/// Settings of `/metrics` (the `metrics:` section, docs/CONFIG.md).
public struct MetricsSettings: Codable, Hashable, Sendable {
    /// Also export utilization per device (a `device` label on every device): thousands of series on a
    /// large reservoir, so off unless the operator's Prometheus can take them.
    public var perDeviceLabels = false
    /// Also export each tenant's money (charges of the month so far, prepaid balance). `/metrics` needs
    /// no login, so anyone who reaches the port would see every tenant's spend, while a tenant may see
    /// only its own bills: off unless the operator protects `/metrics` (network policy, reverse proxy).
    public var perTenantMoney = false

    public init() {}
}
