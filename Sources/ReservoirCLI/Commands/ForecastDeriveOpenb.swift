import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirForecasting

/// `reservoir forecast derive-openb --pods FILE [--out FILE]`: the hourly `gpu_in_use` / `gpu_arrived`
/// series of forecast-backtest.md from any openb pod list that has time columns.
struct ForecastDeriveOpenb: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "derive-openb",
        abstract: "Derive the hourly GPU-demand series (hour_index,gpu_in_use,gpu_arrived) from an openb pod list."
    )

    @Option(help: "openb pod list CSV (needs creation_time, deletion_time, scheduled_time).") var pods: String
    @Option(help: "Write the CSV here instead of standard output.") var out: String?

    func run() async throws {
        let rows = try OpenbTrace.parsePods(csv: String(contentsOfFile: pods, encoding: .utf8))
        let series = try OpenbDemandSeries.derive(from: rows)
        if let out {
            try series.csv.write(toFile: out, atomically: true, encoding: .utf8)
            print("wrote \(series.gpuInUse.count) hours (trace hours \(series.firstHour)…\(series.firstHour + series.gpuInUse.count - 1)) to \(out)")
        } else {
            print(series.csv, terminator: "")
        }
    }
}
