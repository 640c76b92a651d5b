/// GPU-seconds of one tenant on one device model over a period, summed by the database: a usage
/// report's line without reading every session.
public struct UsageTotal: Codable, Hashable, Sendable {
    public var tenant: TenantID
    /// The project the sessions were charged to; nil: none named.
    public var project: String?
    public var model: String
    public var gpuSeconds: Double

    public init(tenant: TenantID, project: String? = nil, model: String, gpuSeconds: Double) {
        self.tenant = tenant
        self.project = project
        self.model = model
        self.gpuSeconds = gpuSeconds
    }
}
