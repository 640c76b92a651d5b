import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirForecasting

/// `reservoir forecast backtest --csv FILE --column NAME [--json]`: the protocol of
/// forecast-backtest.md (13 daily origins from hour 480, horizons 24 h and 168 h, MASE against the lag-24
/// seasonal naive) for every model, with the wall time of each model's full backtest.
struct ForecastBacktest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest every forecaster on one column of an hourly CSV (forecast-backtest.md protocol)."
    )

    @Option(help: "CSV file with a header row; one row per hour, oldest first.") var csv: String
    @Option(help: "Column to forecast, e.g. gpu_in_use.") var column: String
    @Option(help: "Comma-separated model names to run (default: all).") var models: String?
    @Flag(help: "Print JSON: {\"models\": [{model, horizon, mase, mape, smape, mae, cov80, width80, wall_s}]}.") var json = false

    func run() async throws {
        let series = try HourlyCSV.column(column, inFile: csv)
        var selected = ModelRegistry.standard()
        if let models {
            let wanted = Set(models.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
            selected = selected.filter { wanted.contains($0.name) }
            guard !selected.isEmpty else { throw ValidationError("no model named \(models)") }
        }
        var rows: [BacktestReport.Row] = []
        let clock = ContinuousClock()
        for model in selected {
            var result: [BacktestRow] = []
            let elapsed = try clock.measure { result = try Backtester.run(model, on: series, plan: .openbProtocol) }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            rows += result.map { BacktestReport.Row($0, wallSeconds: seconds) }
        }
        let report = BacktestReport(series: column, points: series.count, models: rows)
        print(json ? try report.json() : report.table())
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
