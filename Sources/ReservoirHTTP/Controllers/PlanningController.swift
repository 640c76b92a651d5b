import Hummingbird
import ReservoirCore
import ReservoirServices

/// Demand history, forecasts and capacity plans.
struct PlanningController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/series/demand", "Demand history: GPUs in use, arrived and queued per hour or day (pool, model, region, from, to, resolution)") { r, _, p in
                let resolution = r.query("resolution") ?? "hourly"
                guard resolution == "hourly" || resolution == "daily" else { throw ReservoirError.invalid("resolution", "hourly or daily") }
                let to = try r.query("to", as: Double.self)
                let from = try r.query("from", as: Double.self) ?? ((to ?? reservoir.now()) - 7 * 86_400)
                return try Coding.json(try reservoir.demandSeries(
                    pool: r.query("pool").map { PoolID($0) }, model: r.query("model"), region: r.query("region").map { RegionID($0) },
                    from: from, to: to, daily: resolution == "daily", by: p))
            },
        ]
    }
}
