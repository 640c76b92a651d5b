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
    public var sessions: [UsageSession]
}

/// Metering: how many device-hours each tenant used, per model, and what they cost at list price.
public struct MeteringContext: ApplicationContext {
    public typealias Store = UsageStore & InventoryReader
    let store: any Store
    public let runtime: Runtime

    /// Usage of the caller's tenant (or of all tenants for operators and finance).
    public func usage(since: Double, until: Double?, by principal: Principal) throws -> UsageReport {
        let end = until ?? clock()
        guard since <= end else { throw ReservoirError.invalid("since", "must not be after until") }
        let sessions = try store.usageSessions(tenant: try access.tenantFilter(principal, .readUsage), since: since, until: end)
        let catalog = try store.catalog()
        var hours: [String: [String: Double]] = [:]
        for s in sessions { hours[s.tenant.rawValue, default: [:]][s.model, default: 0] += s.gpuSeconds / 3600 }
        let lines = hours.keys.sorted().flatMap { tenant in
            hours[tenant]!.keys.sorted().map { model in
                let h = hours[tenant]![model]!
                return UsageReport.Line(tenant: tenant, model: model, gpuHours: h, cost: h * (catalog.model(named: model)?.pricePerHour ?? 0))
            }
        }
        return UsageReport(since: since, until: end, lines: lines, sessions: sessions)
    }
}
