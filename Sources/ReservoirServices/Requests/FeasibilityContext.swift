import ReservoirCore
import ReservoirStore

/// Feasibility (SPEC §5.3): the live water level per pool and GPU model, and whether a demand fits now,
/// must queue (until when), must shrink (to what), or is refused by a compliance rule
/// (`requests.compliance` in the configuration file). Reads only; intake (`RequestsContext.submit`)
/// attaches its answer to the request, `POST /v1/feasibility` and `reservoir request check` answer it alone.
public struct FeasibilityContext: ApplicationContext {
    public typealias Store = InventoryReader & JobReader & GrantReader
    let store: any Store
    public let runtime: Runtime
    /// The unfinished jobs, followed from the change feed (the scheduler's view, shared by `Reservoir`).
    var jobView = JobView()

    /// The water level of every pool and model (of one pool or model when asked), for anyone who may
    /// read the inventory: the shared map of what is free.
    public func waterLevel(pool: PoolID? = nil, model: String? = nil, by principal: Principal) throws -> WaterLevelReply {
        try access.requireAny(principal, .readInventory)
        let (inventory, catalog) = (try store.inventory(), try store.catalog())
        if let pool, !inventory.pools.contains(where: { $0.id == pool }) { throw ReservoirError.notFound("pool", "no pool \(pool); see /v1/pools") }
        let canonical = try model.map { try Self.canonical($0, catalog: catalog) }
        let levels = try gauge(inventory: inventory, catalog: catalog).levels.filter { level in
            pool.map { level.pool == $0 } ?? true && canonical.map { level.model == $0 } ?? true
        }
        return WaterLevelReply(at: clock(), levels: levels)
    }

    /// `POST /v1/feasibility`: the answer for a demand the caller describes (its own tenant unless it names one).
    public func assess(_ question: FeasibilityQuestion, by principal: Principal) throws -> FeasibilityReport {
        try assess(try question.demand(for: principal), by: principal)
    }

    /// Whether `demand` fits, and if not when or what would. `principal` nil: intake calling for a
    /// demand it has already authorized; otherwise the caller must be allowed to submit requests for
    /// the demand's tenant. A pool that does not exist or a model the catalog does not know is a 4xx
    /// naming the field; a known model that the pool lacks is a `refused` answer.
    public func assess(_ demand: ResourceDemand, by principal: Principal?) throws -> FeasibilityReport {
        if let principal { try access.require(principal, .submitRequests, tenant: demand.tenant, field: "tenant") }
        let (inventory, catalog) = (try store.inventory(), try store.catalog())
        var demand = demand
        var problems: [ReservoirError] = []
        if !Self.gpus.contains(demand.terms.gpus) { problems.append(.invalid("gpus", "must be within \(Self.gpus.lowerBound)…\(Self.gpus.upperBound), got \(demand.terms.gpus)")) }
        if let hours = demand.terms.durationHours, !(hours.isFinite && Bounds.requestHours.contains(hours)) {
            problems.append(.invalid("durationHours", "must be within \(Bounds.requestHours.lowerBound)…\(Bounds.requestHours.upperBound) hours"))
        }
        if let pool = demand.terms.pool, !inventory.pools.contains(where: { $0.id == pool }) {
            problems.append(.invalid("pool", "no pool \(pool) (known: \(inventory.pools.map(\.id.rawValue).sorted().joined(separator: ", ")))"))
        }
        if let model = demand.terms.model {
            do { demand.terms.model = try Self.canonical(model, catalog: catalog) } catch { problems.append(error) }
        }
        try ReservoirError.throwAll(problems)
        let rules = configuration.requests.compliance
        let check = FeasibilityCheck(
            gauge: try gauge(inventory: inventory, catalog: catalog),
            forbiddenOnStrategicReserve: Set(rules.strategicReserveForbiddenCategories.compactMap(RequestCategory.init(rawValue:))),
            maxTenantShare: rules.maxTenantShare)
        return check.assess(demand)
    }

    /// GPUs one demand may name: at least one, at most a million (bigger is a typo, not a request).
    public static let gpus = 1...1_000_000

    private func gauge(inventory: Inventory, catalog: GPUCatalog) throws -> WaterLevelGauge {
        let unfinished = try jobView.unfinished(store)
        let jobs = unfinished.active + unfinished.pending
        let reserve = Set(configuration.requests.compliance.strategicReservePools.map { PoolID($0) })
        let grants = try store.activeGrants()
        return WaterLevelGauge(inventory: inventory, catalog: catalog, jobs: jobs, grants: grants, strategicReservePools: reserve, at: clock())
    }

    private static func canonical(_ model: String, catalog: GPUCatalog) throws(ReservoirError) -> String {
        guard let name = catalog.canonicalName(model) else {
            throw .invalid("model", "'\(model)' is not a catalog model (known: \(catalog.models.map(\.name).joined(separator: ", ")))")
        }
        return name
    }
}
