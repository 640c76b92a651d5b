import ArgumentParser

/// `reservoir bench …`: benchmarks that report ratios against a baseline measured in the same run.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run benchmarks (placement quality, trace replay, scheduler speed, telemetry storage, durable submissions, admissions end to end, a big job history).",
        subcommands: [BenchOpenb.self, BenchReplay.self, BenchCycle.self, BenchTelemetry.self, BenchSubmit.self, BenchAdmit.self, BenchSeed.self]
    )
}
