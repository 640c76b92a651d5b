/// One change to a service's capacity, automatic or manual: the durable record SPEC §5.8 asks for
/// (before/after, actor, time, reason), written in the transaction that made the change, with its
/// audit entry. Kept when the service is deleted, so its whole life can be told.
public struct ServiceAdjustment: Codable, Hashable, Sendable {
    /// Assigned by the store, increasing; 0 before it is stored.
    public var id: Int
    public var service: ServiceID
    public var tenant: TenantID
    public var at: Double
    /// Desired replicas before and after (equal for a tier-2 or tier-3 request, which adds capacity, not replicas).
    public var before: Int
    public var after: Int
    /// `user:<id>` for a person, `system:autoscaler` for the autoscaler.
    public var actor: String
    public var tier: ScalingTier
    public var kind: AdjustmentKind
    public var reason: String
    /// The tier-2 or tier-3 capacity request this adjustment made or fulfilled.
    public var request: String?
    /// Nodes moved into the service's pool (tier 2).
    public var nodes: [NodeID]

    public init(
        id: Int = 0, service: ServiceID, tenant: TenantID, at: Double, before: Int, after: Int, actor: String, tier: ScalingTier,
        kind: AdjustmentKind, reason: String, request: String? = nil, nodes: [NodeID] = []
    ) {
        self.id = id
        self.service = service
        self.tenant = tenant
        self.at = at
        self.before = before
        self.after = after
        self.actor = actor
        self.tier = tier
        self.kind = kind
        self.reason = reason
        self.request = request
        self.nodes = nodes
    }
}

/// SPEC §5.8's tiers, fastest first: more replicas inside the cluster (minutes), nodes from the
/// regional reserve (hours), capacity from another region (days).
public enum ScalingTier: Int, Codable, Hashable, Sendable, CaseIterable, Comparable {
    case replicas = 1
    case regionalReserve = 2
    case crossRegion = 3

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// What an adjustment did.
public enum AdjustmentKind: String, Codable, Hashable, Sendable, CaseIterable {
    /// The service was deployed with its initial replicas.
    case deployed
    /// The autoscaler added replicas.
    case scaledOut = "scaled-out"
    /// The autoscaler removed replicas.
    case scaledIn = "scaled-in"
    /// A person set the replica count.
    case manual
    /// Reserve nodes were moved into the service's pool (automatically or on approval).
    case reserveNodesAdded = "reserve-nodes-added"
    /// Reserve nodes were asked for and wait for an operator's approval.
    case reserveRequested = "reserve-requested"
    /// The region's reserve was out too: a cross-region transfer was asked of operators.
    case crossRegionRequested = "cross-region-requested"
    /// The service was deleted and its replicas cancelled.
    case deleted
    /// Operators asked the owner to confirm an idle service (a notice with a response deadline).
    case idleConfirmationAsked = "idle-confirmation-asked"
    /// The owner answered an idle confirmation (keep or release).
    case idleConfirmationAnswered = "idle-confirmation-answered"
    /// Operators took idle replicas back (a shrink, or all of them), with a reclamation record.
    case reclaimed
}
