import ReservoirCore

/// The metering context's port: usage sessions (segments of allocations), written by the store in the
/// transactions that allocate, resize and free devices.
///
/// Every read is by **overlap**: a session counts in `[since, until)` when it started before `until` and
/// is open or ended after `since`; callers clip it with `UsageSession.seconds(from:to:now:)`.
public protocol UsageStore: Sendable {
    /// The sessions overlapping `[since, until)`, open ones included, oldest first, optionally of one tenant.
    func usageSessions(tenant: TenantID?, since: Double, until: Double) throws -> [UsageSession]
    /// A page of the sessions overlapping `[since, until)`, oldest first, optionally of one tenant.
    func usageSessions(tenant: TenantID?, since: Double, until: Double, page: PageRequest) throws -> Page<UsageSession>
    /// Device-seconds × quantity per tenant and model inside `[since, until)`, summed in the database (open
    /// sessions counted up to `now`).
    func usageTotals(tenant: TenantID?, since: Double, until: Double, now: Double) throws -> [UsageTotal]
}
