import ReservoirCore
import ReservoirServices

/// The planning page's fast path: ONE demand forecast (the whole reservoir, a pool, a model or both),
/// through `PlanningContext.forecastSeries` as `GET /v1/series/forecast` answers it, drawn after the last
/// week of its history (`demandSeries`) with the 80 % band; and how wrong the recorded forecasts of that
/// series turned out (`forecastErrors`, `GET /v1/forecasts`). A forecast that cannot be made (too little
/// history) is said in words where the chart would be; the rest of the page still shows.
enum PlanningForecast {
    /// Hours of history drawn before the forecast.
    static let historyShown = 7 * 24
    /// Recorded forecasts read (newest first) to find those of the series shown: each is scored against the
    /// demand that followed, so the page reads only a few.
    static let recordsRead = 20

    static func data(_ request: ConsoleRequest, pool: PoolID?, model: String?) async throws -> [String: any Sendable] {
        let principal = request.principal
        var data: [String: any Sendable] = [:]
        let named = [pool.map { "pool \($0)" }, model].compactMap { $0 }.joined(separator: ", ")
        let subject = named.isEmpty ? "the whole reservoir" : named
        data["subject"] = subject
        let forecast: SeriesForecast
        do {
            forecast = try await request.reservoir.planning.offloaded {
                try $0.forecastSeries(signal: .demand, pool: pool, model: model, horizon: nil, by: principal)
            }
        } catch let error as ReservoirError where error.code == .conflict {
            data["forecastError"] = error.message
            return data
        }
        let from = max(forecast.historyStart, forecast.start - Double(historyShown) * forecast.step)
        let history = try await request.reservoir.planning.offloaded {
            try $0.demandSeries(pool: pool, model: forecast.model, region: nil, from: from, to: forecast.start, daily: false, by: principal)
        }
        let past = zip(history.inUse, history.queued).enumerated().map { index, pair in
            LineChart.Point(x: history.start + Double(index) * history.step, y: pair.0 + pair.1)
        }
        let ahead = forecast.forecast.mean.indices.map { forecast.start + Double($0) * forecast.step }
        let chart = LineChart(
            title: "GPU demand of \(subject) in GPUs: the last week, then the forecast with its 80 % interval",
            points: past + zip(ahead, forecast.forecast.mean).map { LineChart.Point(x: $0, y: $1) },
            band: ahead.indices.map { LineChart.Interval(x: ahead[$0], low: forecast.forecast.lower80[$0], high: forecast.forecast.upper80[$0]) },
            xLabel: { ConsoleFormat.day($0) }, yLabel: { SVG.figure($0, digits: 0) })
        data["chart"] = chart.svg()
        data["hasForecast"] = true
        data["forecastCards"] = [
            card(SVG.figure(forecast.forecast.mean.max() ?? 0), "peak forecast demand (GPUs)"),
            card(SVG.figure(forecast.forecast.upper80.max() ?? 0), "peak of the 80 % interval (GPUs)"),
            card("\(forecast.forecast.horizon) h", "horizon, from \(ConsoleFormat.time(forecast.start))"),
            card("\(forecast.historyPoints) h", "history fitted"),
        ]
        data["method"] = forecast.method
        data["seasonality"] = forecast.seasonality.joined(separator: ", ")
        data["notes"] = forecast.notes
        data["includedEvents"] = forecast.events.map(\.name).joined(separator: ", ")
        data["hasIncludedEvents"] = !forecast.events.isEmpty
        let errors = try await errors(request, model: forecast.model)
        data["errors"] = errors
        data["hasErrors"] = !errors.isEmpty
        return data
    }

    /// The realized error of recorded forecasts: of `model`'s demand when a model is shown, else of every model.
    static func errors(_ request: ConsoleRequest, model: String?) async throws -> [[String: any Sendable]] {
        let principal = request.principal
        let records = try await request.reservoir.planning.offloaded { try $0.forecastErrors(page: PageRequest(limit: recordsRead), by: principal) }
        return records.items.filter { report in model.map { report.record.series == "demand/model=\($0)" } ?? true }.map { report in
            [
                "made": ConsoleFormat.time(report.record.createdAt), "series": report.record.series, "method": report.record.method,
                "points": report.realizedPoints, "mae": report.mae.map { SVG.figure($0, digits: 2) } ?? "–",
                "mape": ConsoleFormat.percent(report.mape), "cov80": ConsoleFormat.percent(report.cov80.map { $0 * 100 }),
            ]
        }
    }

    static func card(_ figure: String, _ label: String) -> [String: any Sendable] { ["figure": figure, "label": label] }
}
