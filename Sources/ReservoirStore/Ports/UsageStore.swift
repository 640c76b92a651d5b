import ReservoirCore

/// The metering context's port: usage sessions (segments of allocations), written by the store in the
/// transactions that allocate, resize and free devices.
///
/// Every read is by **overlap**: a session counts in `[since, until)` when it started before `until` and
/// is open or ended after `since`; callers clip it with `UsageSession.seconds(from:to:now:)`.
public protocol UsageStore: Sendable {
    /// The sessions overlapping `[since, until)`, open ones included, oldest first, optionally of one tenant.
    func usageSessions(tenant: TenantID?, since: Double, until: Double) throws -> [UsageSession]
    /// A page of the sessions overlapping `[since, until)`, oldest first, optionally of one tenant, optionally
    /// only those still open (live usage).
    func usageSessions(tenant: TenantID?, since: Double, until: Double, openOnly: Bool, page: PageRequest) throws -> Page<UsageSession>
    /// Device-seconds × quantity per tenant, project and model inside `[since, until)`, summed in the
    /// database (open sessions counted up to `now`), optionally of open sessions only.
    func usageTotals(tenant: TenantID?, since: Double, until: Double, openOnly: Bool, now: Double) throws -> [UsageTotal]
    /// Every open session (the metrics' live gauges): few, one per running allocation segment.
    func openUsageSessions() throws -> [UsageSession]
}

extension UsageStore {
    public func usageSessions(tenant: TenantID?, since: Double, until: Double, page: PageRequest) throws -> Page<UsageSession> {
        try usageSessions(tenant: tenant, since: since, until: until, openOnly: false, page: page)
    }

    public func usageTotals(tenant: TenantID?, since: Double, until: Double, now: Double) throws -> [UsageTotal] {
        try usageTotals(tenant: tenant, since: since, until: until, openOnly: false, now: now)
    }
}
