/// A team, department or project that owns quotas and jobs.
public struct Tenant: Codable, Hashable, Sendable {
    public var id: TenantID
    public var name: String
    /// Fair-share weight: a tenant with weight 2 is entitled to twice the share of one with weight 1.
    public var weight: Double
    /// A disabled tenant takes no new jobs (its running work finishes): the first step of retiring it.
    public var disabled: Bool?
    public init(id: TenantID, name: String? = nil, weight: Double = 1) {
        self.id = id
        self.name = name ?? id.rawValue
        self.weight = weight
    }

    public var isDisabled: Bool { disabled ?? false }
}

/// What a user may do. Roles combine: an approver may also be a tenant member.
public enum Role: String, Codable, Hashable, Sendable, CaseIterable {
    /// Platform operator: inventory, tenants, quotas, policies; sees everything.
    case operator_ = "operator"
    /// Submits and manages its own tenant's jobs and requests.
    case member
    /// Approves or rejects resource requests.
    case approver
    /// The single approver of the emergency green channel.
    case emergencyApprover = "emergency-approver"
    /// Reads usage, bills and reports of every tenant.
    case finance
    /// A node agent (`reservoir agent`): reports its node's devices, utilization and health, nothing else.
    case agent
}

public struct User: Codable, Hashable, Sendable {
    public var id: UserID
    /// The tenant a member belongs to; nil for platform-wide users (operators, finance).
    public var tenant: TenantID?
    public var roles: Set<Role>
    /// A disabled user's tokens stop working; the user and its history stay.
    public var disabled: Bool?
    public init(id: UserID, tenant: TenantID? = nil, roles: Set<Role>) {
        self.id = id
        self.tenant = tenant
        self.roles = roles
    }

    public var isDisabled: Bool { disabled ?? false }
}

/// The four priority classes. Lower raw order is more important.
public enum PriorityClass: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    /// Emergencies: may use the dynamic reserve and preempt lower classes.
    case p0 = "P0"
    /// Production: online inference, core daily training.
    case p1 = "P1"
    /// Standard: fine-tuning, non-core training.
    case p2 = "P2"
    /// Best effort: experiments and tests; preemptible, idle capacity only.
    case p3 = "P3"

    /// 0 for P0 … 3 for P3.
    public var rank: Int {
        switch self {
        case .p0: 0
        case .p1: 1
        case .p2: 2
        case .p3: 3
        }
    }

    public var title: String {
        switch self {
        case .p0: "emergency"
        case .p1: "production"
        case .p2: "standard"
        case .p3: "best-effort"
        }
    }

    /// `P0 < P3`: sorting ascending puts the most important first.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// GPU quota of one tenant in one pool for one device model (`*` = any model).
/// Amounts are in milli-GPU so fractional shares count exactly.
public struct Quota: Codable, Hashable, Sendable {
    public var tenant: TenantID
    public var pool: PoolID
    public var model: String
    /// Always obtainable by the tenant; lent to others while idle.
    public var guaranteedMilli: Int
    /// Ceiling including borrowing; never below `guaranteedMilli`.
    public var limitMilli: Int

    public static let anyModel = "*"

    public init(tenant: TenantID, pool: PoolID, model: String = Quota.anyModel, guaranteedMilli: Int, limitMilli: Int) {
        self.tenant = tenant
        self.pool = pool
        self.model = model
        self.guaranteedMilli = guaranteedMilli
        self.limitMilli = limitMilli
    }

    /// Checks the quota's own consistency.
    public func validate() throws(ReservoirError) {
        guard guaranteedMilli >= 0 else { throw .invalid("guaranteed", "must not be negative") }
        guard limitMilli >= 0 else { throw .invalid("limit", "must not be negative") }
        guard limitMilli >= guaranteedMilli else { throw .invalid("limit", "must be at least the guaranteed amount") }
        guard limitMilli <= 100_000_000 else { throw .invalid("limit", "is too large: at most 100,000 GPUs") }
    }

    public func applies(to model: String) -> Bool { self.model == Quota.anyModel || self.model == model }
}
