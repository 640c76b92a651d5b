import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirPlacement

/// `reservoir bench openb`: the FGD paper's workload-inflation experiment on an openb trace, for
/// several placement policies on the same arrival streams (one per seed).
struct BenchOpenb: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openb",
        abstract: "GPU allocation of placement policies on the openb trace, inflated to 130 % (FGD, ATC '23).",
        discussion: """
            Every policy places the same arrival streams: the trace shuffled, then resampled clones until the \
            requested GPU milli reaches 130 % of capacity, one stream per seed. Reports the GPU allocation ratio \
            at 100 % and 130 % arrived, the curve from 50 % to 130 %, failed pods and decision latency. \
            See docs/BENCHMARKS.md.
            """
    )

    @Option(help: "Node list CSV (openb_node_list_gpu_node.csv).")
    var nodes: String

    @Option(help: "Pod list CSV (any openb variant, with or without time columns).")
    var pods: String

    @Option(help: "Comma-separated policies: \(PlacementPolicy.allNames.joined(separator: ", ")).")
    var policies: String = "fgd,bestfit,reservoir"

    @Option(help: "Number of seeds (42, 43, …).")
    var seeds: Int = 10

    @Option(help: "First seed.")
    var firstSeed: UInt64 = 42

    @Option(help: "Runs in parallel (each run is one policy and one seed).")
    var threads: Int = 1

    @Flag(help: "Print one JSON object on stdout instead of a table.")
    var json = false

    func validate() throws {
        guard seeds > 0 else { throw ValidationError("--seeds must be at least 1") }
        guard threads > 0 else { throw ValidationError("--threads must be at least 1") }
        for p in policyList where !PlacementPolicy.allNames.contains(p) {
            throw ValidationError("unknown policy '\(p)'; known: \(PlacementPolicy.allNames.joined(separator: ", "))")
        }
    }

    private var policyList: [String] { policies.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }

    func run() async throws {
        let workload = try OpenbInput.load(nodes: nodes, pods: pods)
        let runner = InflationRun(workload: workload)
        let jobs = policyList.flatMap { p in (0..<seeds).map { (policy: p, seed: firstSeed + UInt64($0)) } }
        let progress = ProgressBar(total: jobs.count, label: "openb")
        var results: [InflationRun.Result] = []
        await withTaskGroup(of: InflationRun.Result?.self) { group in
            var next = 0
            func submit() {
                guard next < jobs.count else { return }
                let job = jobs[next]
                next += 1
                group.addTask { runner.run(policy: job.policy, seed: job.seed, clock: { DispatchTime.now().uptimeNanoseconds }) }
            }
            for _ in 0..<min(threads, jobs.count) { submit() }
            for await result in group {
                if let result { results.append(result) }
                progress.advance()
                submit()
            }
        }
        progress.finish()
        let report = OpenbReport(policies: policyList.map { p in
            OpenbReport.Policy(policy: p, runs: results.filter { $0.policy == p }.sorted { $0.seed < $1.seed })
        })
        print(json ? try report.json() : report.table(pods: workload.pods.count, nodes: workload.nodes.count))
    }
}
