import ArgumentParser
import Foundation
import ReservoirServices

/// `reservoir series`: the demand history the forecasts learn from, per hour or day.
struct Series: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Demand history: GPUs in use, arrived and queued per hour (or day).")
    @OptionGroup var client: ClientOptions
    @Option(help: "Only this pool.") var pool: String?
    @Option(help: "Only this device model.") var model: String?
    @Option(help: "Only this region.") var region: String?
    @Option(help: "Start (default: 7 days before --until): \(TimeArgument.help).") var since: TimeArgument?
    @Option(help: "End (default: now): \(TimeArgument.help).") var until: TimeArgument?
    @Flag(help: "One row per day instead of per hour.") var daily = false

    func run() async throws {
        var query = ["resolution=\(daily ? "daily" : "hourly")"]
        for (key, value) in [("pool", pool), ("model", model), ("region", region)] { if let value { query.append("\(key)=\(value)") } }
        if let since { query.append("from=\(since.unixSeconds())") }
        if let until { query.append("to=\(until.unixSeconds())") }
        let reply = try await client.client.get("/v1/series/demand?" + query.joined(separator: "&"))
        guard let series = try Output.value(of: reply, json: client.json, as: DemandSeries.self) else { return }
        print(Output.table(header: ["at", "in_use", "arrived", "queued"], rows: series.inUse.indices.map { i in
            [Timestamp.iso(series.start + Double(i) * series.step), series.inUse[i].cell, Self.element(series.arrived, i), Self.element(series.queued, i)]
        }))
    }

    private static func element(_ values: [Double], _ i: Int) -> String { values.indices.contains(i) ? values[i].cell : "-" }
}
