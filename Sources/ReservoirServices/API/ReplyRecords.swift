import ReservoirCore

/// Reply bodies the HTTP layer assembles from a use case's answer; the CLI decodes them. They live
/// here, not in the controllers, so that both the server and the client read one definition.

/// What `POST /v1/import` added, by kind.
public struct ImportSummary: Codable, Sendable {
    public var regions, clusters, pools, nodes, devices: Int

    public init(regions: Int, clusters: Int, pools: Int, nodes: Int, devices: Int) {
        (self.regions, self.clusters, self.pools, self.nodes, self.devices) = (regions, clusters, pools, nodes, devices)
    }
}

/// The jobs `POST /v1/jobs/cancel` cancelled.
public struct CancelledJobs: Codable, Sendable {
    public var cancelled: [String]

    public init(cancelled: [String]) { self.cancelled = cancelled }
}

/// A token just issued, with its secret: the only time the secret is shown.
public struct IssuedToken: Codable, Sendable {
    public var id: String
    public var user: String
    public var token: String
    public var expiresAt: Double?

    public init(id: String, user: String, token: String, expiresAt: Double?) {
        (self.id, self.user, self.token, self.expiresAt) = (id, user, token, expiresAt)
    }
}

/// A quota on the wire: in GPUs (fractions allowed); the store keeps milli-GPU.
public struct QuotaView: Codable, Sendable {
    public var tenant: String
    public var pool: String
    public var model: String
    public var guaranteed: Double
    public var limit: Double
    /// GPUs the tenant's admitted and running jobs hold against this quota (in the listing only).
    public var used: Double?

    public init(_ q: Quota, usedMilli: Int? = nil) {
        tenant = q.tenant.rawValue
        pool = q.pool.rawValue
        model = q.model
        guaranteed = Double(q.guaranteedMilli) / 1000
        limit = Double(q.limitMilli) / 1000
        used = usedMilli.map { Double($0) / 1000 }
    }
}
