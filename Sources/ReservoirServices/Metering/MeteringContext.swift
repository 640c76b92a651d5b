import ReservoirCore
import ReservoirEngine
import ReservoirStore

/// Metered usage over a period: GPU-hours per tenant, project and model, and a page of its sessions.
public struct UsageReport: Codable, Sendable {
    public struct Line: Codable, Sendable {
        public var tenant: String
        /// The project the usage was charged to; absent: none named.
        public var project: String?
        public var model: String
        /// GPU-hours inside the period, open sessions counted up to now.
        public var gpuHours: Double
    }

    public var since: Double
    public var until: Double
    /// Only open sessions (live usage) were counted.
    public var open: Bool
    public var lines: [Line]
    /// One page of the period's sessions, oldest first; `next` says where the next page starts.
    public var sessions: [UsageSession]
    public var next: Cursor?

    enum CodingKeys: String, CodingKey { case since, until, open, lines, sessions }
}

/// Metering: how many device-hours each tenant used, per project and model, from the usage sessions the
/// store opens and closes with the allocations (what they cost is billing's: `/v1/invoices`, `/v1/prices`).
public struct MeteringContext: ApplicationContext {
    public typealias Store = UsageStore & InventoryReader & TenancyReader
    let store: any Store
    /// The engines whose own accounting `reconcileUsage` reads.
    let engine: any ExecutionEngine
    public let runtime: Runtime
    /// What this process has added to the usage counters on `/metrics`.
    let meter = UsageMeter()
    /// What usage costs, for the month-to-date charges on `/metrics`; nil: not published.
    var billing: BillingContext?

    init(store: any Store, engine: any ExecutionEngine, runtime: Runtime) {
        self.store = store
        self.engine = engine
        self.runtime = runtime
    }

    /// Usage of the caller's tenant (or of all tenants for operators and finance): the lines of the whole
    /// period, summed by the database, and one page of its sessions. Open sessions count up to now.
    /// `tenant` narrows it to one tenant (members: only their own); `openOnly` to the sessions still open.
    public func usage(
        since: Double, until: Double?, tenant asked: TenantID? = nil, openOnly: Bool = false, page: PageRequest = PageRequest(), by principal: Principal
    ) throws -> UsageReport {
        let now = clock()
        let end = until ?? now
        guard since <= end else { throw ReservoirError.invalid("since", "must not be after until") }
        let tenant = try access.listedTenant(asked: asked, principal, .readUsage)
        let sessions = try store.usageSessions(tenant: tenant, since: since, until: end, openOnly: openOnly, page: page)
        let lines = try store.usageTotals(tenant: tenant, since: since, until: end, openOnly: openOnly, now: now).map { total in
            UsageReport.Line(tenant: total.tenant.rawValue, project: total.project, model: total.model, gpuHours: total.gpuSeconds / 3600)
        }
        return UsageReport(since: since, until: end, open: openOnly, lines: lines, sessions: sessions.items, next: sessions.next)
    }
}
