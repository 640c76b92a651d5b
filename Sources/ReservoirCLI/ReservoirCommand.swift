import ArgumentParser

/// The `reservoir` command: a short list of subcommands, each in its own file.
public struct ReservoirCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reservoir",
        abstract: "Reservoir: an AI compute-pool platform (pools, quotas, scheduling, metering, forecasting).",
        subcommands: [Bench.self, Forecast.self, Plan.self]
    )

    public init() {}
}
