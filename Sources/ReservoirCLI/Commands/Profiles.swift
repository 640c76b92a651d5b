import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirScheduling

/// `reservoir profiles`: the devices' resource profiles and the classes profile matching uses.
struct Profiles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Device resource profiles: class, 7-day utilization, 30-day faults, recent work (one device: NODE/gpuN).")
    @OptionGroup var client: ClientOptions
    @Argument(help: "One device, as NODE/gpuINDEX (default: all of them).") var device: String?
    @Option(help: "Only devices of this pool.") var pool: String?
    @Option(name: .customLong("class"), help: "Only devices of this class (\(DeviceClass.allCases.map(\.rawValue).joined(separator: ", "))).")
    var deviceClass: String?

    func run() async throws {
        let columns: [Column<DeviceProfile>] = [
            Column("device", \.device), Column("pool", \.pool), Column("model", \.model), Column("class", \.deviceClass),
            Column("util_7d") { $0.utilization7d.map { Cell.number(($0 * 10).rounded() / 10) + "%" } ?? "-" },
            Column("faults_30d", \.faults30d), Column("unreliable") { $0.unreliable ? "yes" : "" },
            Column("recent") { $0.recentKinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") },
            Column("mean_runtime") { $0.meanRuntimeSeconds.map { HumanDuration.text(seconds: $0) } ?? "-" }, Column("price", \.priceClass),
        ]
        if let device {
            let reply = try await client.client.get("/v1/devices/\(device.replacingOccurrences(of: "/", with: "%2F"))/profile")
            guard let profile = try Output.value(of: reply, json: client.json, as: DeviceProfile.self) else { return }
            print(Output.table([profile], columns: columns))
            print("why: \(profile.reason)")
            return
        }
        let query = [("pool", pool), ("class", deviceClass)].compactMap { k, v in v.map { "\(k)=\($0)" } }.joined(separator: "&")
        try Output.rows(try await client.client.list("/v1/profiles?" + query), json: client.json, columns: columns)
    }
}

/// `reservoir predict accuracy`: how wrong runtime predictions were on the recorded history.
struct Predict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per-job runtime predictions from history.", subcommands: [Accuracy.self])

    struct Accuracy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score runtime predictions on the succeeded jobs' history: MAE and the share too short, beside the tenant mean.")
        @OptionGroup var client: ClientOptions
        @Option(help: "Only jobs submitted since then are scored: \(TimeArgument.help).") var since: TimeArgument?

        func run() async throws {
            let reply = try await client.client.get("/v1/predictions/accuracy" + (since.map { "?since=\($0.unixSeconds())" } ?? ""))
            guard let report = try Output.value(of: reply, json: client.json, as: PredictionAccuracy.self) else { return }
            print("\(report.jobs) succeeded jobs scored, each predicted from the jobs finished before it was submitted")
            var rows = [Self.row("p\(Int((report.percentile * 100).rounded())) of history", report.prediction)]
            for basis in RuntimePredictor.Basis.allCases {
                if let errors = report.byBasis[basis.rawValue] { rows.append(Self.row("p\(Int((report.percentile * 100).rounded())), answered by \(basis.rawValue)", errors)) }
            }
            rows.append(Self.row("tenant mean (before)", report.tenantMean))
            print(Output.table(header: ["estimate", "predicted", "mae", "too_short"], rows: rows))
        }

        static func row(_ name: String, _ e: PredictionAccuracy.Errors) -> [String] {
            [name, String(e.predicted), HumanDuration.text(seconds: e.maeSeconds), String(format: "%.1f%%", e.tooShortShare * 100)]
        }
    }
}
