import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirForecasting

/// `reservoir forecast backtest --csv FILE --column NAME [--json]`: the protocol of
/// forecast-backtest.md (13 daily origins from hour 480, horizons 24 h and 168 h, MASE against the lag-24
/// seasonal naive) for every model, with the wall time of each model's full backtest.
/// `--evaluation-set development|report|all` runs the same protocol shape on every series of
/// `EvaluationSet` (openb variants from `--shared`, sub-windows, synthetic series) instead.
struct ForecastBacktest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest every forecaster on one column of an hourly CSV (forecast-backtest.md protocol)."
    )

    @Option(help: "CSV file with a header row; one row per hour, oldest first.") var csv: String?
    @Option(help: "Column to forecast, e.g. gpu_in_use.") var column: String?
    @Option(help: "Instead of --csv: run every series of this part of the evaluation set (development, report, all).")
    var evaluationSet: EvaluationChoice?
    @Option(help: "The shared data folder holding data/openb (for --evaluation-set).") var shared = "../shared"
    @Option(help: "Comma-separated model names to run (default: all; with --evaluation-set: the protocol's well-known models and auto_ensemble).")
    var models: String?
    @Flag(help: """
        Print JSON: {"models": [{model, horizon, mase, mape, smape, mae, cov80, width80, wall_s}]}; with --evaluation-set \
        {"series": [{name, part, report}], "summary": [{series, part, horizon, ensemble_mase, ensemble_cov80, best_known, best_known_mase}]}.
        """) var json = false

    func run() async throws {
        if let evaluationSet {
            guard csv == nil, column == nil else { throw ValidationError("--evaluation-set replaces --csv and --column") }
            let selected = try Self.select(models ?? ForecastEvaluation.defaultModels)
            let report = try ForecastEvaluation.run(evaluationSet, shared: shared, models: selected)
            print(json ? try report.json() : report.text())
            return
        }
        guard let csv, let column else { throw ValidationError("give --csv and --column, or --evaluation-set") }
        let series = try HourlyCSV.column(column, inFile: csv)
        let selected = try models.map(Self.select) ?? ModelRegistry.standard()
        let report = BacktestReport(series: column, points: series.count, models: try Self.measure(selected, on: series, plan: .openbProtocol))
        print(json ? try report.json() : report.table())
    }

    /// The registry's models named in a comma-separated list.
    static func select(_ names: String) throws -> [any Forecaster] {
        let wanted = Set(names.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
        let selected = ModelRegistry.standard().filter { wanted.contains($0.name) }
        guard !selected.isEmpty else { throw ValidationError("no model named \(names)") }
        return selected
    }

    /// Every model's backtest rows, each with the wall time of its whole backtest.
    static func measure(_ models: [any Forecaster], on series: [Double], plan: BacktestPlan) throws -> [BacktestReport.Row] {
        var rows: [BacktestReport.Row] = []
        let clock = ContinuousClock()
        for model in models {
            var result: [BacktestRow] = []
            let elapsed = try clock.measure { result = try Backtester.run(model, on: series, plan: plan) }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            rows += result.map { BacktestReport.Row($0, wallSeconds: seconds) }
        }
        return rows
    }
}

/// Reads one numeric column of a CSV file by header name.
enum HourlyCSV {
    static func column(_ name: String, inFile path: String) throws -> [Double] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let table = CSVTable(text: text)
        let key = name.lowercased()
        guard table.has(key) else { throw ValidationError("\(path) has no column \(name); columns: \(table.header.joined(separator: ", "))") }
        return try table.rows.enumerated().map { i, row in
            guard let raw = table.value(key, in: row), let v = Double(raw), v.isFinite else {
                throw ValidationError("\(path) line \(i + 2): \(name) is not a number")
            }
            return v
        }
    }
}
