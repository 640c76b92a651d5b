import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// `reservoir usage`: metered GPU-hours (the default, `usage hours`), utilization (`usage util`) and the
/// reconciliation against the engines' accounting (`usage reconcile`). A group, so each has its own
/// `--since`/`--until`: options of a parent command would take them from `usage util`.
struct Usage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Metered GPU-hours (the default), GPU utilization over time (util), or usage against the engines' accounting (reconcile).",
        subcommands: [UsageHours.self, UsageUtil.self, UsageReconcile.self], defaultSubcommand: UsageHours.self)
}

/// A period as the usage commands take it: `--since` (default: the beginning) and `--until` (default: now).
struct UsagePeriod: ParsableArguments {
    @Option(help: "Start of the period (default: the beginning): \(TimeArgument.help).") var since: TimeArgument?
    @Option(help: "End of the period (default: now): \(TimeArgument.help).") var until: TimeArgument?

    var query: [String] {
        ["since=\(since?.unixSeconds() ?? 0)"] + (until.map { ["until=\($0.unixSeconds())"] } ?? [])
    }
}

struct UsageHours: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hours", abstract: "Metered GPU-hours per tenant, project and model; open sessions count up to now (amounts: reservoir invoice).",
        aliases: ["cost"])
    @OptionGroup var client: ClientOptions
    @OptionGroup var period: UsagePeriod
    @Option(help: "Only this tenant's usage (members: their own).") var tenant: String?
    @Flag(help: "Only sessions still open (live usage), and list them.") var open = false
    func run() async throws {
        var query = period.query
        if let tenant { query.append("tenant=\(tenant.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? tenant)") }
        if open { query.append("open=true") }
        let reply = try await client.client.get("/v1/usage?" + query.joined(separator: "&"))
        guard let report = try Output.value(of: reply, json: client.json, as: UsageReport.self) else { return }
        print(Output.table(report.lines, columns: [
            Column("tenant", \.tenant), Column("project", \.project), Column("model", \.model), Column("gpu_hours", \.gpuHours),
        ]))
        if open {
            print(Output.table(report.sessions, columns: [
                Column("job", \.job), Column("tenant", \.tenant), Column("pool", \.pool), Column("model", \.model),
                Column("gpus") { Cell.gpus($0.gpuMilli) }, .time("since", \.startedAt),
            ]))
        }
        let hours = report.lines.reduce(0) { $0 + $1.gpuHours }
        print("total \(Cell.number(hours)) GPU-hours from \(Cell.time(report.since)) to \(Cell.time(report.until))")
    }
}

/// `reservoir usage reconcile`: Reservoir's sessions against Slurm's `sacct` (`GET /v1/usage/reconciliation`).
struct UsageReconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile", abstract: "Compare metered usage with the engines' own accounting (Slurm sacct): jobs missing on either side, GPU-seconds that differ.")
    @OptionGroup var client: ClientOptions
    @OptionGroup var period: UsagePeriod
    func run() async throws {
        let reply = try await client.client.get("/v1/usage/reconciliation?" + period.query.joined(separator: "&"))
        guard let report = try Output.value(of: reply, json: client.json, as: UsageReconciliationReport.self) else { return }
        if let note = report.note { print(note) }
        print(Output.table(report.differences, columns: [
            Column("job", \.job), Column("tenant", \.tenant), Column("kind", \.kind), Column("reservoir_gpu_s", \.reservoirGPUSeconds),
            Column("engine_gpu_s", \.engineGPUSeconds), Column("engine_ids") { $0.engineIDs.joined(separator: ",") },
        ]))
        print("\(report.jobs) jobs compared on \(report.clusters.isEmpty ? "no cluster" : report.clusters.joined(separator: ", ")), \(report.differences.count) differ")
    }
}

extension UsageReconciliationReport.Kind: CellValue {}
