import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// `reservoir usage util`: GPU utilization and memory of one scope over time (`GET /v1/utilization`).
struct UsageUtil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "util", abstract: "GPU utilization and memory over time of a pool, node, device, model, tenant, job, service or the whole reservoir.")
    @OptionGroup var client: ClientOptions
    @Option(help: "A pool.") var pool: String?
    @Option(help: "A node.") var node: String?
    @Option(help: "A device (node/gpuN).") var device: String?
    @Option(help: "A GPU model.") var model: String?
    @Option(help: "A tenant (members: their own).") var tenant: String?
    @Option(help: "A job.") var job: String?
    @Option(help: "An inference service.") var service: String?
    @Option(help: "Start (default: a day before --until): \(TimeArgument.help).") var since: TimeArgument?
    @Option(help: "End (default: now): \(TimeArgument.help).") var until: TimeArgument?
    @Option(help: "minute, hour or day (default: minute up to 6 hours, hour up to 14 days, day beyond).") var resolution: TelemetryResolution?

    /// The one scope asked for; none: the whole reservoir.
    func scope() throws -> (UtilizationScopeKind, String?) {
        let asked: [(UtilizationScopeKind, String?)] = [(.pool, pool), (.node, node), (.device, device), (.model, model), (.tenant, tenant), (.job, job), (.service, service)]
        let given = asked.compactMap { kind, id in id.map { (kind, Optional($0)) } }
        guard given.count <= 1 else { throw ValidationError("give at most one of --pool, --node, --device, --model, --tenant, --job, --service") }
        return given.first ?? (.reservoir, nil)
    }

    func run() async throws {
        let (kind, id) = try scope()
        var query = ["scope=\(kind.rawValue)"]
        if let id { query.append("id=\(id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)") }
        // Sent as typed: the server reads durations against its own clock (a demo's may run fast).
        for (name, time) in [("since", since), ("until", until)] {
            if let time { query.append("\(name)=\(time.text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? time.text)") }
        }
        if let resolution { query.append("resolution=\(resolution.rawValue)") }
        let reply = try await client.client.get("/v1/utilization?" + query.joined(separator: "&"))
        guard let report = try Output.value(of: reply, json: client.json, as: UtilizationReport.self) else { return }
        print(Self.render(report))
    }

    /// The series as a table and the summary beneath it.
    static func render(_ report: UtilizationReport) -> String {
        let percent = { (value: Double) in String(format: "%.1f", value) }
        let table = Output.table(report.points, columns: [
            Column.time("at", \.at), Column("devices", \.devices), Column("util_mean_%") { percent($0.gpuUtilMean) },
            Column("util_max_%") { percent($0.gpuUtilMax) }, Column("mem_mean_%") { percent($0.memoryFractionMean * 100) },
            Column("mem_max_%") { percent($0.memoryFractionMax * 100) },
        ])
        let s = report.summary
        let shown = { (value: Double?, scale: Double) in value.map { percent($0 * scale) + " %" } ?? "-" }
        return table + "\n" + [
            "\(report.scope.rawValue)\(report.id.map { " \($0)" } ?? ""): \(report.points.count) \(report.resolution.rawValue) points from \(Cell.time(report.since)) to \(Cell.time(report.until))",
            "last 24 h: GPU util peak \(shown(s.dailyPeakGpuUtil, 1)), mean \(shown(s.dailyMeanGpuUtil, 1)); memory peak \(shown(s.dailyPeakMemoryFraction, 100)), mean \(shown(s.dailyMeanMemoryFraction, 100))",
            "7-day mean: GPU util \(shown(s.weeklyMeanGpuUtil, 1)), memory \(shown(s.weeklyMeanMemoryFraction, 100)); 30-day mean: GPU util \(shown(s.monthlyMeanGpuUtil, 1)), memory \(shown(s.monthlyMeanMemoryFraction, 100))",
        ].joined(separator: "\n")
    }
}

extension TelemetryResolution: ExpressibleByArgument {}
