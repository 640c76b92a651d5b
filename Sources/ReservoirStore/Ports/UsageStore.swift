import ReservoirCore

/// The metering context's port: usage sessions, written by the store when a job stops holding devices.
public protocol UsageStore: Sendable {
    func usageSessions(tenant: TenantID?, since: Double, until: Double) throws -> [UsageSession]
    /// A page of the sessions that ended in `[since, until)`, oldest first, optionally of one tenant.
    func usageSessions(tenant: TenantID?, since: Double, until: Double, page: PageRequest) throws -> Page<UsageSession>
    /// GPU-seconds per tenant and model of the sessions that ended in `[since, until)`, summed in the database.
    func usageTotals(tenant: TenantID?, since: Double, until: Double) throws -> [UsageTotal]
}
