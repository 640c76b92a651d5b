/// A request for capacity a service's pool does not have (tiers 2 and 3 of SPEC §5.8): nodes from
/// the region's reserve pool, or a transfer from another region. Operators list them, approve a
/// reserve request (which moves the nodes), and close either when it is settled.
public struct ServiceCapacityRequest: Codable, Hashable, Sendable {
    /// `cr-000001`, assigned by the store.
    public var id: String
    public var service: ServiceID
    public var tenant: TenantID
    public var pool: PoolID
    public var region: RegionID
    public var tier: ScalingTier
    public var state: CapacityRequestState
    /// GPUs the waiting replicas need.
    public var gpus: Int
    /// GPU models that would do (the replicas' request); empty: any.
    public var models: [String]
    public var reason: String
    public var createdAt: Double
    /// Nodes moved into the pool when the request was fulfilled.
    public var nodes: [NodeID]
    public var decidedAt: Double?
    public var decidedBy: String?
    public var note: String?

    public init(
        id: String = "", service: ServiceID, tenant: TenantID, pool: PoolID, region: RegionID, tier: ScalingTier, state: CapacityRequestState,
        gpus: Int, models: [String], reason: String, createdAt: Double, nodes: [NodeID] = []
    ) {
        self.id = id
        self.service = service
        self.tenant = tenant
        self.pool = pool
        self.region = region
        self.tier = tier
        self.state = state
        self.gpus = gpus
        self.models = models
        self.reason = reason
        self.createdAt = createdAt
        self.nodes = nodes
    }
}

public enum CapacityRequestState: String, Codable, Hashable, Sendable, CaseIterable {
    /// Waiting for an operator.
    case pending
    /// Reserve nodes were moved into the pool.
    case fulfilled
    /// Closed by an operator without (or after) action in Reservoir.
    case closed

    public var isOpen: Bool { self == .pending }
}

extension Pool {
    /// The label that makes a pool its region's reserve: `reservoir.io/reserve: "true"`.
    public static let reserveLabel = "reservoir.io/reserve"

    /// Whether the pool holds its region's reserve nodes: kept idle (no quotas, so no jobs) until a
    /// service's pool runs out and a tier-2 adjustment moves a node into it.
    public var isRegionalReserve: Bool { labels[Self.reserveLabel] == "true" }
}
