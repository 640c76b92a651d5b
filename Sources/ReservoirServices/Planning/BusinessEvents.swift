import ReservoirCore
import ReservoirForecasting

/// What an operator registers: `POST /v1/business-events`, `reservoir events add`.
public struct BusinessEventInput: Codable, Sendable {
    public var name: String
    public var kind: BusinessEventRecord.Kind?
    public var start: Double
    public var end: Double
    public var uplift: Double?
    public var extraGPUs: Double?
    public var pools: [String]?
    public var models: [String]?
    public var note: String?

    public init(
        name: String, kind: BusinessEventRecord.Kind? = nil, start: Double, end: Double, uplift: Double? = nil, extraGPUs: Double? = nil,
        pools: [String]? = nil, models: [String]? = nil, note: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.start = start
        self.end = end
        self.uplift = uplift
        self.extraGPUs = extraGPUs
        self.pools = pools
        self.models = models
        self.note = note
    }
}

extension PlanningContext {
    /// Registers a known business event (operators), validated field by field and audited; forecasts and
    /// capacity plans of the pools and models it names include it from now on.
    public func registerEvent(_ input: BusinessEventInput, by principal: Principal) throws -> BusinessEventRecord {
        try access.require(principal, .manageEvents, tenant: nil)
        try InputLimits.name(input.name, field: "name")
        try Bounds.check(input.start, "start", in: Bounds.unixSeconds, unit: "(Unix seconds)")
        try Bounds.check(input.end, "end", in: Bounds.unixSeconds, unit: "(Unix seconds)")
        guard input.end > input.start else { throw ReservoirError.invalid("end", "must be after start (an event runs over [start, end))") }
        guard input.end - input.start <= 3 * 366 * 86_400 else { throw ReservoirError.invalid("end", "an event lasts at most three years") }
        guard input.uplift != nil || input.extraGPUs != nil else {
            throw ReservoirError.invalid("uplift", "give the expected uplift (relative, 0.5 = +50 %) or extraGPUs (absolute), or both")
        }
        if let uplift = input.uplift { try Bounds.check(uplift, "uplift", in: Bounds.eventUplift, unit: "(relative: 0.5 = +50 %)") }
        if let extra = input.extraGPUs { try Bounds.check(extra, "extraGPUs", in: Bounds.eventGPUs, unit: "GPUs") }
        if let note = input.note { try InputLimits.text(note, field: "note") }
        try InputLimits.count(input.pools?.count ?? 0, field: "pools")
        try InputLimits.count(input.models?.count ?? 0, field: "models")
        let inventory = try store.inventory()
        let known = Set(inventory.pools.map(\.id))
        let pools = try (input.pools ?? []).map { name throws(ReservoirError) in
            guard known.contains(PoolID(name)) else { throw ReservoirError.invalid("pools", "unknown pool \(name)") }
            return PoolID(name)
        }
        let catalog = try store.catalog()
        let models = try (input.models ?? []).map { name throws(ReservoirError) in
            guard let canonical = catalog.canonicalName(name) else { throw ReservoirError.invalid("models", "unknown device model \(name)") }
            return canonical
        }
        let event = BusinessEventRecord(
            name: input.name, kind: input.kind ?? .other, start: input.start, end: input.end, uplift: input.uplift, extraGPUs: input.extraGPUs,
            pools: Array(Set(pools)).sorted(), models: Array(Set(models)).sorted(), note: input.note, createdAt: clock(), createdBy: principal.actor)
        return try store.addBusinessEvent(event, by: attribution(principal))
    }

    /// Every registered event, by start: what the forecasts and plans may include.
    public func businessEvents(by principal: Principal) throws -> [BusinessEventRecord] {
        try access.require(principal, .readPlans, tenant: nil)
        return try store.businessEvents()
    }

    /// Withdraws an event (operators, audited); forecasts stop including it.
    public func withdrawEvent(_ id: String, by principal: Principal) throws {
        try access.require(principal, .manageEvents, tenant: nil)
        guard try store.deleteBusinessEvent(id, by: attribution(principal)) != nil else {
            throw ReservoirError.notFound("id", "no business event \(id)")
        }
    }

    /// The registered events that bear on a series covering `pools` and `models`, over its history and
    /// `horizon` steps after it, on the series' own time axis (0 = its first point), with the records
    /// they come from so the answer can say which it includes.
    func events(
        on series: DemandSeries, historyCount: Int, horizon: Int, pools: Set<PoolID>, models: Set<String>
    ) throws -> (adjust: [ReservoirForecasting.BusinessEvent], included: [BusinessEventRecord]) {
        let windowEnd = series.start + Double(historyCount + horizon) * series.step
        let relevant = try store.businessEvents().filter {
            $0.end > series.start && $0.start < windowEnd && $0.applies(toPools: pools, models: models)
        }
        // Clamped in Double before the conversion: an instant far outside the window is just "before" or "after".
        let limit = Double(historyCount + horizon + 1)
        func index(_ t: Double, _ rule: FloatingPointRoundingRule) -> Int { Int(max(-1, min(limit, ((t - series.start) / series.step).rounded(rule)))) }
        let adjust = relevant.map {
            ReservoirForecasting.BusinessEvent(
                name: $0.name, start: index($0.start, .down), end: max(index($0.start, .down) + 1, index($0.end, .up)),
                uplift: $0.uplift ?? 0, extra: $0.extraGPUs ?? 0)
        }
        return (adjust, relevant)
    }
}
