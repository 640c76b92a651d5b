/// One metered stretch of a job holding devices: what metering and billing are computed from.
public struct UsageSession: Codable, Hashable, Sendable {
    public var job: JobID
    public var tenant: TenantID
    public var pool: PoolID?
    public var model: String
    /// Milli-GPU held during the session (all replicas).
    public var gpuMilli: Int
    public var startedAt: Double
    public var endedAt: Double

    public init(job: JobID, tenant: TenantID, pool: PoolID?, model: String, gpuMilli: Int, startedAt: Double, endedAt: Double) {
        self.job = job
        self.tenant = tenant
        self.pool = pool
        self.model = model
        self.gpuMilli = gpuMilli
        self.startedAt = startedAt
        self.endedAt = endedAt
    }

    public var gpuSeconds: Double { Double(gpuMilli) / 1000 * (endedAt - startedAt) }
}
