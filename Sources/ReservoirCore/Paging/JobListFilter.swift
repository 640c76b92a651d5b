/// Which jobs a list shows; every criterion given must hold. Times are Unix seconds of submission,
/// `since` inclusive and `until` exclusive.
public struct JobListFilter: Hashable, Sendable {
    public var tenant: TenantID?
    /// Any of these states; nil or empty: every state.
    public var states: Set<JobState>?
    public var pool: PoolID?
    public var since: Double?
    public var until: Double?
    /// Only jobs run under this grant.
    public var grant: GrantID?

    public init(
        tenant: TenantID? = nil, states: Set<JobState>? = nil, pool: PoolID? = nil, since: Double? = nil, until: Double? = nil, grant: GrantID? = nil
    ) {
        self.tenant = tenant
        self.states = states
        self.pool = pool
        self.since = since
        self.until = until
        self.grant = grant
    }
}
