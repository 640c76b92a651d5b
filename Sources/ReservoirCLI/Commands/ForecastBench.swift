import ArgumentParser
import Foundation
import ReservoirForecasting
import ReservoirServices

/// `reservoir forecast bench [--series 50] [--csv F --column C]`: the CPU budgets of issue 19 measured
/// in this process: (1) a full backtest of one series with every model (protocol forecast-backtest.md),
/// (2) the planner's forecast of `--series` pool×model series (the capacity plan's code path: four weeks
/// hourly, two weeks ahead, all cores). Series are sub-windows of the CSV column, each scaled differently.
struct ForecastBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "CPU seconds of one series' full backtest and of the planner's forecast of N series.")
    @Option(help: "CSV file with a header row; one row per hour, oldest first.") var csv = "../shared/bench/forecast-openb-default-hourly.csv"
    @Option(help: "Column to forecast.") var column = "gpu_in_use"
    @Option(help: "Pool×model series the planner forecasts.") var series = 50
    @Option(help: "Hours of history per series (the planner's default: four weeks).") var historyHours = 28 * 24
    @Option(help: "Hours ahead (the planner's default: two weeks).") var horizon = 14 * 24
    @Flag(help: "Skip the full backtest.") var skipBacktest = false

    func validate() throws {
        guard (1...1000).contains(series) else { throw ValidationError("--series must be in 1…1000") }
        guard (168...10_000).contains(historyHours) else { throw ValidationError("--history-hours must be in 168…10000") }
        guard (1...2184).contains(horizon) else { throw ValidationError("--horizon must be in 1…2184") }
    }

    func run() async throws {
        let y = try HourlyCSV.column(column, inFile: csv)
        if !skipBacktest {
            let cpu = BenchTelemetry.cpuSeconds()
            let wall = Date()
            _ = try ForecastBacktest.measure(ModelRegistry.standard(), on: y, plan: .openbProtocol)
            print(String(format: "full backtest of %@ (%d h, %d models): %.2f s CPU, %.2f s wall",
                         column, y.count, ModelRegistry.standard().count, BenchTelemetry.cpuSeconds() - cpu, Date().timeIntervalSince(wall)))
        }
        let histories = try Self.histories(from: y, count: series, hours: historyHours)
        let names = (0..<series).map { "series-\($0)" }
        let cpu = BenchTelemetry.cpuSeconds()
        let wall = Date()
        let results = PlanningContext.forecastInParallel(histories, horizon: horizon, models: names)
        let failed = results.filter { if case .failure = $0 { true } else { false } }.count
        print(String(format: "planner forecast of %d series (%d h history, %d h ahead): %.2f s CPU, %.2f s wall, %d failed",
                     series, historyHours, horizon, BenchTelemetry.cpuSeconds() - cpu, Date().timeIntervalSince(wall), failed))
    }

    /// `count` windows of `hours` from `y` (wrapping around by repetition where `y` is shorter), each
    /// scaled by a different factor so no two series are the same.
    static func histories(from y: [Double], count: Int, hours: Int) throws -> [[Double]] {
        guard y.count >= 168 else { throw ValidationError("the column has \(y.count) hours; at least 168 are needed") }
        let long = y.count >= hours ? y : Array((0..<hours).map { y[$0 % y.count] })
        let slack = long.count - hours
        return (0..<count).map { i in
            let offset = slack == 0 ? 0 : (i * 37) % (slack + 1)
            let scale = 0.25 + Double(i % 10) * 0.2
            return long[offset..<offset + hours].map { $0 * scale }
        }
    }
}
