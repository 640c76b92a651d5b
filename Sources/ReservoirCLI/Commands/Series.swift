import ArgumentParser
import Foundation

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
        let data = try await client.client.get("/v1/series/demand?" + query.joined(separator: "&"))
        if client.json { print(String(decoding: data, as: UTF8.self)); return }
        let series = try JSONDecoder().decode(JSONValue.self, from: data)
        guard case .number(let start)? = series["start"], case .number(let step)? = series["step"],
              case .array(let inUse)? = series["inUse"] else { return }
        let arrived = series["arrived"], queued = series["queued"]
        print(Output.table(header: ["at", "in_use", "arrived", "queued"], rows: inUse.indices.map { i in
            [Timestamp.iso(start + Double(i) * step), inUse[i].rendered, Self.element(arrived, i), Self.element(queued, i)]
        }))
    }

    private static func element(_ array: JSONValue?, _ i: Int) -> String {
        guard case .array(let values)? = array, values.indices.contains(i) else { return "-" }
        return values[i].rendered
    }
}
