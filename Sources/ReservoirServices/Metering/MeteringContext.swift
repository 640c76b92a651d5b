import ReservoirCore
import ReservoirStore

/// Metered usage over a period: sessions, and GPU-hours and list cost per tenant and model.
public struct UsageReport: Codable, Sendable {
    public struct Line: Codable, Sendable {
        public var tenant: String
        public var model: String
        public var gpuHours: Double
        /// GPU-hours × the catalog's price per hour for the model.
        public var cost: Double
    }

    public var since: Double
    public var until: Double
    public var lines: [Line]
    /// One page of the period's sessions, oldest first; `next` says where the next page starts.
    public var sessions: [UsageSession]
    public var next: Cursor?

    enum CodingKeys: String, CodingKey { case since, until, lines, sessions }
}

/// Metering: how many device-hours each tenant used, per model, and what they cost at list price.
public struct MeteringContext: ApplicationContext {
    public typealias Store = UsageStore & InventoryReader
    let store: any Store
    public let runtime: Runtime

    /// Usage of the caller's tenant (or of all tenants for operators and finance): the lines of the whole
    /// period, summed by the database, and one page of its sessions.
    /// `tenant` narrows it to one tenant (members: only their own).
    public func usage(
        since: Double, until: Double?, tenant asked: TenantID? = nil, page: PageRequest = PageRequest(), by principal: Principal
    ) throws -> UsageReport {
        let end = until ?? clock()
        guard since <= end else { throw ReservoirError.invalid("since", "must not be after until") }
        let tenant = try access.listedTenant(asked: asked, principal, .readUsage)
        let sessions = try store.usageSessions(tenant: tenant, since: since, until: end, page: page)
        let catalog = try store.catalog()
        let lines = try store.usageTotals(tenant: tenant, since: since, until: end, now: clock()).map { total in
            let hours = total.gpuSeconds / 3600
            return UsageReport.Line(tenant: total.tenant.rawValue, model: total.model, gpuHours: hours, cost: hours * (catalog.model(named: total.model)?.pricePerHour ?? 0))
        }
        return UsageReport(since: since, until: end, lines: lines, sessions: sessions.items, next: sessions.next)
    }
}
