/// Capacity held for a tenant over a window whether or not it is used: its guaranteed quota, or a
/// grant. The hours of it that the tenant's sessions did not use are billed as `reserved-idle`.
public struct ReservedCapacity: Codable, Hashable, Sendable {
    public var tenant: TenantID
    /// The pool the capacity is held in; nil: any pool (usage of the model in every pool counts against it).
    public var pool: PoolID?
    public var model: String
    /// Milli-GPU held (1000 per whole device).
    public var gpuMilli: Int
    /// The project the capacity was granted to, when known.
    public var project: String?
    public var from: Double
    public var until: Double

    public init(tenant: TenantID, pool: PoolID?, model: String, gpuMilli: Int, project: String? = nil, from: Double, until: Double) {
        self.tenant = tenant
        self.pool = pool
        self.model = model
        self.gpuMilli = gpuMilli
        self.project = project
        self.from = from
        self.until = until
    }
}
