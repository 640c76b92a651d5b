import Dispatch
import Foundation
import ReservoirCore
import ReservoirForecasting
import ReservoirStore

/// The capacity plan: per model, what to buy or rent and by when, from the forecast of its demand.
public struct CapacityPlanReport: Codable, Sendable {
    public var generatedAt: Double
    public var policy: CapacityPolicy
    public var historyHours: Int
    public var horizonHours: Int
    public var recommendations: [CapacityRecommendation]
    /// Year-by-year plan per model toward the utilization targets.
    public var multiYear: [String: [YearPlan]]
    /// Models left out, and why (e.g. not enough history yet).
    public var skipped: [String: String]
    /// Per model, the business events its forecast includes (registered with `POST /v1/business-events`).
    public var events: [String: [BusinessEventRecord]]
}

/// A past forecast with how wrong it turned out, over the part of its horizon that has passed.
public struct ForecastErrorReport: Codable, Sendable {
    public var record: ForecastRecord
    public var realizedPoints: Int
    public var mae: Double?
    public var mape: Double?
    public var cov80: Double?
}

/// Planning: demand series from the job history, forecasts and their realized errors, capacity plans
/// (what to buy or rent, and when), and what-ifs for a surge or one resource request.
public struct PlanningContext: ApplicationContext {
    public typealias Store = JobReader & InventoryReader & ForecastStore & BusinessEventStore & TelemetryReader
    let store: any Store
    public let runtime: Runtime

    /// Forecasts each model's demand (GPUs in use plus queued) and turns it into a capacity plan.
    /// With `record`, the forecasts are stored so `forecastErrors` can later score them (a write: POST only).
    /// A reservoir where no model has enough history gets a conflict that says how much is needed.
    public func capacityPlan(policy: CapacityPolicy?, record: Bool = false, by principal: Principal) throws -> CapacityPlanReport {
        try access.require(principal, .readPlans, tenant: nil)
        let settings = configuration.planning
        let policy = policy ?? settings.policy
        let snapshot = try planningSnapshot()
        let now = clock()
        var installed: [String: Int] = [:]
        for region in snapshot.regions { for m in region.models { installed[m.model, default: 0] += m.total } }
        var demands: [CapacityDemand] = []
        var multiYear: [String: [YearPlan]] = [:]
        var skipped: [String: String] = [:]
        let models = installed.keys.sorted()
        let histories = try models.map { try demandHistory(model: $0, by: principal) }
        let coverage = try coverage()
        let events = try zip(models, histories).map { model, h in
            try self.events(on: h.series, historyCount: h.values.count, horizon: settings.horizonHours, pools: coverage.pools(of: model), models: [model])
        }
        let forecasts = Self.forecastInParallel(histories.map(\.values), horizon: settings.horizonHours, models: models, events: events.map(\.adjust))
        var included: [String: [BusinessEventRecord]] = [:]
        for (index, model) in models.enumerated() {
            let (series, history) = histories[index]
            do {
                let forecast = try forecasts[index].get()
                demands.append(CapacityDemand(model: model, installed: installed[model]!, forecast: forecast))
                if !events[index].included.isEmpty { included[model] = events[index].included }
                if record { try store.saveForecast(ForecastRecord(
                    createdAt: now, series: "demand/model=\(model)", start: series.start + Double(history.count) * series.step,
                    step: series.step, mean: forecast.mean, lower80: forecast.lower80, upper80: forecast.upper80,
                    method: Self.method(events: events[index].adjust, historyCount: history.count)),
                    by: attribution(principal)) }
                let daily = series.downsampled(by: 24)
                let dailyDemand = zip(daily.inUse, daily.queued).map(+)
                if let growth = try? MultiYearPlanner.annualGrowthRate(dailyDemand: dailyDemand) {
                    multiYear[model] = try? MultiYearPlanner.plan(MultiYearPlanInput(
                        model: model, installed: installed[model]!, currentDemand: dailyDemand.last ?? 0, annualGrowth: growth,
                        utilizationTargets: settings.utilizationTargets, years: settings.utilizationTargets.count,
                        purchasePricePerGPU: snapshot.supply[model]?.purchasePricePerGPU ?? 0))
                }
            } catch let error as ReservoirError {
                skipped[model] = error.message
            } catch {
                skipped[model] = "\(error)"
            }
        }
        if demands.isEmpty, !skipped.isEmpty {
            throw ReservoirError(.conflict, "no model could be planned: " + skipped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "))
        }
        let recommendations = try Self.planned { () throws(ForecastError) in try CapacityPlanner.plan(demands, supply: snapshot.supply, policy: policy) }
        return CapacityPlanReport(
            generatedAt: now, policy: policy, historyHours: settings.historyHours, horizonHours: settings.horizonHours,
            recommendations: recommendations, multiYear: multiYear, skipped: skipped, events: included)
    }

    /// "A customer asks for `gpus` of `model` in `region`": a concrete, costed plan from live state.
    public func whatIfRequest(_ request: CapacityRequest, by principal: Principal) throws -> FulfilmentPlan {
        try access.require(principal, .planRequests, tenant: nil)
        let snapshot = try planningSnapshot()
        return try Self.planned { () throws(ForecastError) in try WhatIfPlanner.fulfil(request, snapshot: snapshot) }
    }

    /// Demand of `model` multiplied by `factor` for `hours` from `fromHour` on: what it would take.
    public func whatIfSurge(model: String, factor: Double, fromHour: Int, hours: Int, by principal: Principal) throws -> WhatIfPlanner.SurgeOutcome {
        try access.require(principal, .readPlans, tenant: nil)
        try Bounds.check(factor, "factor", in: Bounds.surgeFactor)
        let settings = configuration.planning
        // Each bounded first, so their sum cannot overflow.
        try Bounds.check(fromHour, "fromHour", in: 0...max(0, settings.horizonHours - 1), unit: "(hours from now)")
        try Bounds.check(hours, "hours", in: 1...max(1, settings.horizonHours))
        guard fromHour + hours <= settings.horizonHours else {
            throw ReservoirError.invalid("hours", "the surge window (fromHour + hours) must lie within the \(settings.horizonHours)-hour horizon")
        }
        let catalog = try store.catalog()
        guard let canonical = catalog.canonicalName(model) else { throw ReservoirError.notFound("model", "unknown device model \(model)") }
        let snapshot = try planningSnapshot()
        let installed = snapshot.regions.flatMap(\.models).filter { $0.model == canonical }.reduce(0) { $0 + $1.total }
        let forecast = try eventAdjustedForecast(model: canonical, horizon: settings.horizonHours, by: principal)
        let demand = CapacityDemand(model: canonical, installed: installed, forecast: forecast)
        let terms = settings.terms(for: canonical, catalog: catalog)
        return try Self.planned { () throws(ForecastError) in
            try WhatIfPlanner.surge(demand, factor: factor, window: fromHour..<(fromHour + hours), supply: terms, policy: settings.policy)
        }
    }

    /// Past forecasts and their realized error over the elapsed part of their horizon.
    public func forecastErrors(page: PageRequest, by principal: Principal) throws -> Page<ForecastErrorReport> {
        try access.require(principal, .readPlans, tenant: nil)
        let now = clock()
        return try store.forecastRecords(page: page).map { record in
            let elapsed = min(record.mean.count, max(0, Int(((now - record.start) / record.step).rounded(.down))))
            guard elapsed > 0, let model = record.series.split(separator: "=").last.map(String.init) else {
                return ForecastErrorReport(record: record, realizedPoints: 0, mae: nil, mape: nil, cov80: nil)
            }
            let actual = try demandSeries(pool: nil, model: model, region: nil, from: record.start, to: record.start + Double(elapsed) * record.step, daily: false, by: principal)
            let y = Array(zip(actual.inUse, actual.queued).map(+).prefix(elapsed))
            let n = Double(y.count)
            let mae = zip(y, record.mean).map { abs($0 - $1) }.reduce(0, +) / n
            let nonzero = zip(y, record.mean).filter { $0.0 != 0 }
            let mape = nonzero.isEmpty ? nil : 100 * nonzero.map { abs($0 - $1) / abs($0) }.reduce(0, +) / Double(nonzero.count)
            let covered = y.indices.filter { record.lower80[$0] <= y[$0] && y[$0] <= record.upper80[$0] }.count
            return ForecastErrorReport(record: record, realizedPoints: y.count, mae: mae, mape: mape, cov80: Double(covered) / n)
        }
    }

    /// An SVG chart of a model's demand history, forecast and 80 % band, for the web UI.
    public func demandChart(model: String, by principal: Principal) throws -> String {
        try access.require(principal, .readPlans, tenant: nil)
        guard let canonical = try store.catalog().canonicalName(model) else { throw ReservoirError.notFound("model", "unknown device model \(model)") }
        let settings = configuration.planning
        let history = try demandHistory(model: canonical, by: principal).values
        let forecast = try eventAdjustedForecast(model: canonical, horizon: settings.horizonHours, by: principal)
        return ForecastChart(title: "\(canonical) GPU demand: history, forecast, 80 % band").svg(history: history, forecast: forecast)
    }

    /// Demand history (in use + queued) of a model over the configured window, starting no earlier
    /// than the reservoir's first job: hours before Reservoir existed are not zero demand.
    func demandHistory(model: String, by principal: Principal) throws -> (series: DemandSeries, values: [Double]) {
        let now = clock()
        let from = try demandHistoryStart(now: now)
        guard from < now else { return (DemandSeries(start: now, step: 3600, inUse: [], arrived: [], queued: []), []) }
        let series = try demandSeries(pool: nil, model: model, region: nil, from: from, to: now, daily: false, by: principal)
        return (series, zip(series.inUse, series.queued).map(+))
    }

    /// Where a demand history starts: the configured window back from `now`, but no earlier than the
    /// reservoir's first job (hours before Reservoir existed are not zero demand).
    func demandHistoryStart(now: Double) throws -> Double {
        max(now - Double(configuration.planning.historyHours) * 3600, try store.firstSubmittedAt() ?? now)
    }

    /// Hours of demand history a forecast needs: one full week, so the weekly pattern is seen once.
    public static let minimumHistoryHours = 7 * 24

    /// A model's demand forecast over the configured history with the business events that bear on it.
    func eventAdjustedForecast(model: String, horizon: Int, by principal: Principal) throws -> Forecast {
        let (series, history) = try demandHistory(model: model, by: principal)
        let events = try events(on: series, historyCount: history.count, horizon: horizon, pools: try coverage().pools(of: model), models: [model])
        return try Self.forecastDemand(history, horizon: horizon, model: model, events: events.adjust)
    }

    /// The forecaster's name as recorded: the ensemble, with `+events` when events adjust it.
    static func method(events: [ReservoirForecasting.BusinessEvent], historyCount: Int = 0) -> String {
        "auto_ensemble" + (historyCount >= YearlyAdjusted<AutoEnsemble>.minimumHistory ? "+yearly" : "") + (events.isEmpty ? "" : "+events")
    }

    /// The ensemble's forecast of a demand history, adjusted for the known `events` (the event-adjusted
    /// model: history cleaned of them, forecast given them back); a history too short to forecast is a
    /// conflict that says how much history is needed, not a crash.
    static func forecastDemand(
        _ history: [Double], horizon: Int, model: String, events: [ReservoirForecasting.BusinessEvent] = []
    ) throws(ReservoirError) -> Forecast {
        guard history.count >= minimumHistoryHours else {
            throw ReservoirError(.conflict, field: "model", """
                not enough history to forecast \(model) demand: \(history.count) of the \(minimumHistoryHours) hours needed \
                (one week of jobs; four weeks forecast better)
                """)
        }
        do {
            // From two years of history on, the yearly profile is modelled and the ensemble fitted on the last four weeks of the
            // deseasonalised history; below, yearly seasonality is not pretended (the answer says so).
            if history.count >= YearlyAdjusted<AutoEnsemble>.minimumHistory {
                let yearly = YearlyAdjusted(AutoEnsemble.standard())
                return events.isEmpty ? try yearly.forecast(history, horizon: horizon) : try EventAdjusted(yearly, events: events).forecast(history, horizon: horizon)
            }
            let ensemble = AutoEnsemble.standard()
            return events.isEmpty ? try ensemble.forecast(history, horizon: horizon) : try EventAdjusted(ensemble, events: events).forecast(history, horizon: horizon)
        } catch {
            throw ReservoirError(.conflict, field: "model", "cannot forecast \(model) demand: \(error.message)")
        }
    }

    /// Each model's forecast, the models fitted on all cores at once (they are independent, so the answers
    /// are those of one-by-one fitting): a plan of nine models would otherwise take nine fits' time.
    public static func forecastInParallel(
        _ histories: [[Double]], horizon: Int, models: [String], events: [[ReservoirForecasting.BusinessEvent]] = []
    ) -> [Result<Forecast, ReservoirError>] {
        let results = ResultSlots(count: histories.count)
        DispatchQueue.concurrentPerform(iterations: histories.count) { index in
            results.set(index, Result { () throws(ReservoirError) in
                try forecastDemand(histories[index], horizon: horizon, model: models[index], events: index < events.count ? events[index] : [])
            })
        }
        return results.all
    }

    /// Runs a planner, turning its input errors into errors that name the request.
    static func planned<T>(_ plan: () throws(ForecastError) -> T) throws(ReservoirError) -> T {
        do {
            return try plan()
        } catch {
            throw ReservoirError.invalid("request", error.message)
        }
    }
}

/// Slots the parallel forecasts write into, each index once; the lock makes the writes visible to the reader.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<Forecast, ReservoirError>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ result: Result<Forecast, ReservoirError>) { lock.withLock { slots[index] = result } }
    var all: [Result<Forecast, ReservoirError>] { lock.withLock { slots.map { $0! } } }
}
