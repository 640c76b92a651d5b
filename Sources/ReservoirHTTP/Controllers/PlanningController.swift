import Hummingbird
import ReservoirCore
import ReservoirForecasting
import ReservoirServices

/// Demand history, forecasts and capacity plans.
struct PlanningController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/series/demand", "Demand history: GPUs in use, arrived and queued per hour or day (pool, model, region, from, to, resolution)", action: .readDemand,
                query: [.id("pool", "Only jobs of this pool"), QueryParameter("model", .string(), "Only jobs on this device model"), .id("region", "Only jobs in this region"), .time("from", "Start (default: a week before to)"), .time("to", "End (default now)"), QueryParameter("resolution", .cases(["hourly", "daily"]), "Step (default hourly)")], answers: .ok(Components.demandSeries), errors: [.forbidden, .notFound]
            ) { r, _, p in
                let resolution = r.query("resolution") ?? "hourly"
                guard resolution == "hourly" || resolution == "daily" else { throw ReservoirError.invalid("resolution", "hourly or daily") }
                let to = try r.query("to", as: Double.self).map { t throws(ReservoirError) in try Bounds.check(t, "to", in: Bounds.unixSeconds, unit: "(Unix seconds)") }
                let from = try r.query("from", as: Double.self).map { f throws(ReservoirError) in try Bounds.check(f, "from", in: Bounds.unixSeconds, unit: "(Unix seconds)") }
                    ?? max(0, (to ?? reservoir.now()) - 7 * 86_400)
                let (pool, model, region) = (r.query("pool").map { PoolID($0) }, r.query("model"), r.query("region").map { RegionID($0) })
                return try Coding.json(try await reservoir.planning.offloaded {
                    try $0.demandSeries(pool: pool, model: model, region: region, from: from, to: to, daily: resolution == "daily", by: p)
                })
            },
            APIRoute(.get, "/v1/series/forecast", "Forecast of GPU demand (with the business events that bear on it) or GPU utilization, per pool, GPU model, both or all (signal, pool, model, horizon)",
                action: .readPlans,
                query: [
                    QueryParameter("signal", .cases(SeriesForecast.Signal.self), "demand (GPUs in use + queued; default) or utilization (mean GPU %)"),
                    .id("pool", "Only this pool"), QueryParameter("model", .string(), "Only this device model"),
                    QueryParameter("horizon", .integer(Bounds.forecastHours), "Hours ahead (default: the planning horizon)"),
                ],
                answers: .ok(Components.seriesForecast), errors: [.forbidden, .notFound, .conflict]
            ) { r, _, p in
                let signal = try r.query("signal").map { s throws(ReservoirError) in
                    guard let signal = SeriesForecast.Signal(rawValue: s) else { throw ReservoirError.invalid("signal", "demand or utilization") }
                    return signal
                } ?? .demand
                let horizon = try r.query("horizon", as: Int.self)
                let (pool, model) = (r.query("pool").map { PoolID($0) }, r.query("model"))
                return try Coding.json(try await reservoir.planning.offloaded {
                    try $0.forecastSeries(signal: signal, pool: pool, model: model, horizon: horizon, by: p)
                })
            },
            APIRoute(.get, "/v1/plans/capacity", "Capacity plan: per model what to buy or rent, how much, by when (threshold, buffer); records nothing", action: .readPlans,
                query: .capacityPolicy, answers: .ok(Components.capacityPlan), errors: [.forbidden, .conflict]
            ) { r, _, p in
                let policy = try capacityPolicy(r)
                return try Coding.json(try await reservoir.planning.offloaded { try $0.capacityPlan(policy: policy, by: p) })
            },
            APIRoute(.post, "/v1/plans/capacity", "Make the capacity plan and record its forecasts, so /v1/forecasts can score them later (threshold, buffer)", action: .readPlans,
                query: .capacityPolicy, answers: .created(Components.capacityPlan), errors: [.forbidden, .conflict]
            ) { r, _, p in
                let policy = try capacityPolicy(r)
                return try Coding.json(try await reservoir.planning.offloaded { try $0.capacityPlan(policy: policy, record: true, by: p) }, status: .created)
            },
            APIRoute(.get, "/v1/plans/chart", "SVG chart of a model's demand history, forecast and 80 % band (model)", action: .readPlans,
                query: [QueryParameter("model", .string(minLength: 1), "The device model", required: true)], answers: .text("image/svg+xml"), errors: [.forbidden, .notFound, .conflict]
            ) { r, _, p in
                guard let model = r.query("model") else { throw ReservoirError.invalid("model", "is required") }
                return Coding.text(try await reservoir.planning.offloaded { try $0.demandChart(model: model, by: p) }, contentType: "image/svg+xml")
            },
            APIRoute(.post, "/v1/plans/whatif", "What-if: a large request (scenario=request) or a demand surge (scenario=surge)", action: .planRequests,
                body: .decoded(Components.whatIfInput), answers: .ok(.anyOf([Components.fulfilmentPlan.ref, Components.surgeOutcome.ref])), errors: [.forbidden, .notFound, .conflict]
            ) { r, c, p in
                let input = try await Coding.decode(WhatIfInput.self, from: r, context: c)
                switch input.scenario {
                case "request":
                    return try Coding.json(try await reservoir.planning.offloaded {
                        try $0.whatIfRequest(
                            region: input.region, model: input.model, gpus: input.gpus, priority: input.priority, durationHours: input.durationHours, by: p)
                    })
                case "surge":
                    return try Coding.json(try await reservoir.planning.offloaded {
                        try $0.whatIfSurge(model: input.model, factor: input.factor, fromHour: input.fromHour, hours: input.hours, by: p)
                    })
                default:
                    throw ReservoirError.invalid("scenario", "must be request or surge")
                }
            },
            APIRoute(.get, "/v1/forecasts", "Past forecasts with their realized error, newest first", action: .readPlans,
                answers: .page(of: Components.forecastError), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page(defaultLimit: 50)
                return try Coding.page(try await reservoir.planning.offloaded { try $0.forecastErrors(page: page, by: p) }, for: r, page)
            },
        ]
    }
}

extension PlanningController {
    /// The configured expansion policy with the request's `threshold` and `buffer`, each within its range.
    func capacityPolicy(_ r: Request) throws -> CapacityPolicy {
        try reservoir.planning.capacityPolicy(threshold: try r.query("threshold", as: Double.self), buffer: try r.query("buffer", as: Double.self))
    }
}

/// A what-if question: `request` (a customer asks for `gpus` of `model` in `region`) or `surge`
/// (demand of `model` × `factor` for `hours` from `fromHour`).
struct WhatIfInput: Codable {
    var scenario: String
    var model: String
    var region: String?
    var gpus: Int?
    var priority: PriorityClass?
    var durationHours: Double?
    var factor: Double?
    var fromHour: Int?
    var hours: Int?
}
