import ArgumentParser
import ReservoirCore
import ReservoirServices

extension GrantCommand {
    /// `reservoir grant review --month 2026-11`: the monthly review of L1 grants.
    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The monthly review of L1 grants: utilization, GPU-hours used vs estimated, and keep / shrink / reclaim with the rule.")
        @OptionGroup var client: ClientOptions
        @Option(help: "The month, YYYY-MM (UTC).") var month: String
        @Option(help: "Only grants of this tenant (members: their own).") var tenant: String?

        func run() async throws {
            let reply = try await client.client.get("/v1/reports/l1-review?month=\(month)" + (tenant.map { "&tenant=\($0)" } ?? ""))
            guard let report = try Output.value(of: reply, json: client.json, as: L1ReviewReport.self) else { return }
            func percent(_ value: Double?) -> String { value.map { "\(Int($0.rounded())) %" } ?? "-" }
            print(Output.table(report.grants, columns: [
                Column("grant") { $0.grant.rawValue }, Column("tenant") { $0.tenant.rawValue }, Column("gpus") { Cell.gpus($0.gpuMilli) },
                Column("state") { $0.state.rawValue }, Column("peak util") { percent($0.peakUtilization) }, Column("mean util") { percent($0.meanUtilization) },
                Column("GPU-h used") { "\(Int($0.usedGPUHours.rounded()))" }, Column("estimated") { $0.estimatedGPUHours.map { "\(Int($0.rounded()))" } ?? "-" },
                Column("recommendation") { $0.recommendation.rawValue }, Column("why") { $0.why },
            ]))
            print("\nrule (\(report.month)): \(report.rule)")
        }
    }
}
