import ArgumentParser

/// The `reservoir` command: a short list of subcommands, each in its own file.
@available(macOS 10.15, *)
public struct ReservoirCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reservoir",
        abstract: "Reservoir: an AI compute-pool platform (pools, quotas, scheduling, metering, forecasting).",
        subcommands: [
            Serve.self, Regions.self, Clusters.self, Pools.self, Nodes.self, Devices.self, Catalog.self, Import.self,
            Tenants.self, Users.self, Tokens.self, QuotaCommand.self, Usage.self, Submit.self, Jobs.self, JobCommand.self, Audit.self,
            Bench.self, Forecast.self, Plan.self,
        ]
    )

    public init() {}
}
