import ArgumentParser

/// The `reservoir` command: a short list of subcommands, each in its own file.
@available(macOS 10.15, *)
public struct ReservoirCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reservoir",
        abstract: "Reservoir: an AI compute-pool platform (pools, quotas, scheduling, metering, forecasting).",
        subcommands: [
            Serve.self, ConfigCommand.self, Regions.self, Clusters.self, Pools.self, Nodes.self, Devices.self, Catalog.self, Import.self,
            Tenants.self, Users.self, Tokens.self, QuotaCommand.self, Usage.self, Submit.self, Jobs.self, JobCommand.self, Audit.self,
            Series.self, Bench.self, Forecast.self, Plan.self, DeviceCommand.self, AgentCommand.self, ServiceCommand.self, Profiles.self, Predict.self, Notifications.self, Estimate.self,
            RequestCommand.self, GrantCommand.self, EmergencyCommand.self, ReclaimCommand.self, Reclamations.self, Alerts.self,
            WaterLevelCommand.self, ReportCommand.self, PriceCommand.self, EventsCommand.self, InvoiceCommand.self, BalanceCommand.self, CreditCommand.self, ShowbackCommand.self,
        ]
    )

    public init() {}

    /// Parses the command line and runs the command; a failure prints one line `reservoir: …` and
    /// exits non-zero (see `ErrorReport`), never a Foundation error dump.
    public static func runCommandLine() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            ErrorReport.exit(with: error)
        }
    }
}
