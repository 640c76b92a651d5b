import ReservoirCore
import ReservoirForecasting

/// A forecast of what planners plan with, for one pool, one GPU model, both or the whole reservoir:
/// GPU demand (in use plus queued, from the job history, with the business events that bear on it) or
/// GPU utilization (from the telemetry roll-ups). It says what it modelled and what it could not.
public struct SeriesForecast: Codable, Sendable {
    public enum Signal: String, Codable, Sendable, CaseIterable { case demand, utilization }

    public var signal: Signal
    public var pool: PoolID?
    public var model: String?
    /// `GPUs` (demand) or `percent` (mean GPU utilization of the devices that reported).
    public var unit: String
    /// Unix seconds of the first history point, and how many hourly points the forecast was fitted on.
    public var historyStart: Double
    public var historyPoints: Int
    /// Unix seconds of the first forecast step, and seconds per step.
    public var start: Double
    public var step: Double
    /// `auto_ensemble`, or `auto_ensemble+events` where business events adjust it.
    public var method: String
    public var forecast: Forecast
    /// The seasonal cycles the forecaster models: `daily`, `weekly`; `yearly` only with two years of history.
    public var seasonality: [String]
    /// The business events the forecast includes.
    public var events: [BusinessEventRecord]
    /// What the answer could not do, in the operator's words (e.g. why no yearly seasonality).
    public var notes: [String]
}

/// Which pools and models a series covers, for matching business events to it.
struct PlanningCoverage {
    var poolsOfModel: [String: Set<PoolID>]
    var modelsOfPool: [PoolID: Set<String>]
    var allPools: Set<PoolID>
    var allModels: Set<String>

    func pools(of model: String) -> Set<PoolID> { poolsOfModel[model] ?? [] }

    /// The pools and models a series of `pool` and/or `model` spans (nil: all of them).
    func of(pool: PoolID?, model: String?) -> (pools: Set<PoolID>, models: Set<String>) {
        let pools = pool.map { [$0] } ?? model.map(pools(of:)) ?? allPools
        let models = model.map { [$0] } ?? pool.map { modelsOfPool[$0] ?? [] } ?? allModels
        return (pools, models)
    }
}

extension PlanningContext {
    /// Hours in two years: the history yearly seasonality needs before it is modelled rather than pretended.
    public static var yearlySeasonalityHours: Int { YearlyAdjusted<AutoEnsemble>.minimumHistory }

    /// The forecast of `signal` for `pool` and/or `model` over `horizon` hours, fitted on the configured
    /// history (`historyHours`, from the reservoir's first job on). Too little history is a conflict that
    /// says how much is needed.
    public func forecastSeries(
        signal: SeriesForecast.Signal, pool: PoolID?, model: String?, horizon: Int?, by principal: Principal
    ) throws -> SeriesForecast {
        try access.require(principal, .readPlans, tenant: nil)
        let settings = configuration.planning
        let horizon = try Bounds.check(horizon ?? settings.horizonHours, "horizon", in: Bounds.forecastHours, unit: "hours")
        let inventory = try store.inventory()
        if let pool, !inventory.pools.contains(where: { $0.id == pool }) { throw ReservoirError.notFound("pool", "unknown pool \(pool)") }
        let canonical = try model.map { m throws(ReservoirError) -> String in
            guard let c = try? store.catalog().canonicalName(m) else { throw ReservoirError.notFound("model", "unknown device model \(m)") }
            return c
        }
        let label = [pool.map { "pool \($0)" }, canonical].compactMap { $0 }.joined(separator: ", ")
        let subject = label.isEmpty ? "the reservoir" : label
        let now = clock()
        var notes: [String] = []
        let (history, historyStart, step): ([Double], Double, Double)
        var adjust: [ReservoirForecasting.BusinessEvent] = []
        var included: [BusinessEventRecord] = []
        switch signal {
        case .demand:
            let from = try demandHistoryStart(now: now)
            guard from < now else { throw Self.tooShort(subject, have: 0) }
            let series = try demandSeries(pool: pool, model: canonical, region: nil, from: from, to: now, daily: false, by: principal)
            (history, historyStart, step) = (zip(series.inUse, series.queued).map(+), series.start, series.step)
            let covered = try coverage().of(pool: pool, model: canonical)
            (adjust, included) = try events(on: series, historyCount: history.count, horizon: horizon, pools: covered.pools, models: covered.models)
        case .utilization:
            guard pool == nil || canonical == nil else {
                throw ReservoirError.invalid("model", "utilization is kept per pool or per model, not both: give one")
            }
            let scope: UtilizationScope = pool.map { .pool($0) } ?? canonical.map { .model($0) } ?? .reservoir
            let until = (now / 3600).rounded(.down) * 3600
            let points = try store.utilization(UtilizationQuery(scope: scope, since: until - Double(settings.historyHours) * 3600, until: until, resolution: .hour))
            guard let first = points.first?.at else { throw Self.tooShort(subject, have: 0) }
            // Hours without samples are gaps (NaN) the forecaster fills from a day earlier, never zeros.
            var values = [Double](repeating: .nan, count: Int(((until - first) / 3600).rounded()))
            for p in points { let i = Int(((p.at - first) / 3600).rounded()); if values.indices.contains(i) { values[i] = p.gpuUtilMean } }
            (history, historyStart, step) = (values, first, 3600)
            if try !store.businessEvents().isEmpty { notes.append("business events adjust demand forecasts, not utilization") }
        }
        guard history.count >= Self.minimumHistoryHours else { throw Self.tooShort(subject, have: history.count) }
        var forecast = try Self.forecastDemand(history, horizon: horizon, model: subject, events: adjust)
        if signal == .utilization {
            let clamp = { (xs: [Double]) in xs.map { min(100, max(0, $0)) } }
            forecast = Forecast(mean: clamp(forecast.mean), lower80: clamp(forecast.lower80), upper80: clamp(forecast.upper80))
        }
        var seasonality = ["daily"]
        if history.count >= 2 * 168 { seasonality.append("weekly") } else { notes.append("weekly seasonality is weak: \(history.count) hours of history, two weeks (336) show it well") }
        if history.count >= Self.yearlySeasonalityHours { seasonality.append("yearly") } else { notes.append(Self.yearlyNote(historyHours: history.count)) }
        return SeriesForecast(
            signal: signal, pool: pool, model: canonical, unit: signal == .demand ? "GPUs" : "percent", historyStart: historyStart,
            historyPoints: history.count, start: historyStart + Double(history.count) * step, step: step, method: Self.method(events: adjust, historyCount: history.count),
            forecast: forecast, seasonality: seasonality, events: included, notes: notes)
    }

    /// Why there is no yearly cycle in the answer: it is modelled only from two years of history
    /// (`planning.historyHours` ≥ 17520 and that much job history), never pretended from less.
    static func yearlyNote(historyHours: Int) -> String {
        "yearly seasonality not modelled: \(historyHours / 24) days of history, two years (730 days) are needed"
    }

    static func tooShort(_ subject: String, have: Int) -> ReservoirError {
        ReservoirError(.conflict, field: "model", """
            not enough history to forecast \(subject): \(have) of the \(minimumHistoryHours) hours needed \
            (one week; four weeks forecast better)
            """)
    }

    /// Pools per model and models per pool, from the inventory (canonical model names).
    func coverage() throws -> PlanningCoverage {
        let inventory = try store.inventory()
        let catalog = try store.catalog()
        var poolsOfModel: [String: Set<PoolID>] = [:]
        var modelsOfPool: [PoolID: Set<String>] = [:]
        for node in inventory.nodes {
            guard let model = node.gpuModel.map({ catalog.canonicalName($0) ?? $0 }) else { continue }
            poolsOfModel[model, default: []].insert(node.pool)
            modelsOfPool[node.pool, default: []].insert(model)
        }
        return PlanningCoverage(
            poolsOfModel: poolsOfModel, modelsOfPool: modelsOfPool, allPools: Set(inventory.pools.map(\.id)), allModels: Set(poolsOfModel.keys))
    }
}
