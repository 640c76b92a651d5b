/// GPU-seconds of one tenant on one device model over a period, summed by the database: a usage
/// report's line without reading every session.
public struct UsageTotal: Codable, Hashable, Sendable {
    public var tenant: TenantID
    public var model: String
    public var gpuSeconds: Double

    public init(tenant: TenantID, model: String, gpuSeconds: Double) {
        self.tenant = tenant
        self.model = model
        self.gpuSeconds = gpuSeconds
    }
}
