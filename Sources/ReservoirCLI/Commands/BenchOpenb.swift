import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirPlacement
import ReservoirScheduling

/// `reservoir bench openb`: the FGD paper's workload-inflation experiment on an openb trace, for
/// several placement policies on the same arrival streams (one per seed).
///
/// Synchronous on purpose: the runs are CPU-bound, so `--threads` workers pull them from a shared
/// queue on plain threads, and the command works whichever way the root command dispatches.
struct BenchOpenb: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openb",
        abstract: "GPU allocation of placement policies on the openb trace, inflated to 130 % (FGD, ATC '23).",
        discussion: """
            Every policy places the same arrival streams: the trace shuffled, then resampled clones until the \
            requested GPU milli reaches 130 % of capacity, one stream per seed. Reports the GPU allocation ratio \
            at 100 % and 130 % arrived, the curve from 50 % to 130 %, failed pods and decision latency. \
            With --cycle, each policy also runs through the scheduling cycle exactly as the server runs it \
            (rows '<policy>+cycle'), next to the placement-only run on the same streams. See docs/BENCHMARKS.md.
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

    @Flag(help: "Also run each policy through the server's scheduling cycle (typical shapes learned from the pool's jobs, the server's defaults); rows '<policy>+cycle'.")
    var cycle = false

    @Option(help: "With --cycle: arrivals per scheduling cycle (1: one cycle per arrival, the experiment's order).")
    var cycleBatch = 1

    @Flag(help: "Print one JSON object on stdout instead of a table.")
    var json = false

    func validate() throws {
        guard seeds > 0 else { throw ValidationError("--seeds must be at least 1") }
        guard threads > 0 else { throw ValidationError("--threads must be at least 1") }
        guard cycleBatch > 0 else { throw ValidationError("--cycle-batch must be at least 1") }
        for p in policyList where !PlacementPolicy.allNames.contains(p) {
            throw ValidationError("unknown policy '\(p)'; known: \(PlacementPolicy.allNames.joined(separator: ", "))")
        }
    }

    /// Marks the rows of runs through the scheduling cycle.
    static let cycleSuffix = "+cycle"

    private var policyList: [String] { policies.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }

    func run() throws {
        let workload = try OpenbInput.load(nodes: nodes, pods: pods)
        let runner = InflationRun(workload: workload)
        let cycleRunner = CycleInflationRun(workload: workload, batch: cycleBatch)
        let ways = cycle ? [false, true] : [false]
        let jobs = policyList.flatMap { p in ways.flatMap { viaCycle in (0..<seeds).map { (policy: p, seed: firstSeed + UInt64($0), viaCycle: viaCycle) } } }
        let progress = ProgressBar(total: jobs.count, label: "openb")
        let results = RunQueue(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: min(threads, jobs.count)) { _ in
            while let i = results.claim() {
                let job = jobs[i]
                if job.viaCycle {
                    var result = cycleRunner.run(policy: job.policy, seed: job.seed, clock: threadCPUNanoseconds)
                    result?.policy += Self.cycleSuffix
                    results.finish(i, result)
                } else {
                    results.finish(i, runner.run(policy: job.policy, seed: job.seed, clock: threadCPUNanoseconds))
                }
                progress.advance()
            }
        }
        progress.finish()
        let all = results.all
        let rows = policyList.flatMap { p in ways.map { $0 ? p + Self.cycleSuffix : p } }
        let report = OpenbReport(policies: rows.map { p in
            OpenbReport.Policy(policy: p, runs: all.filter { $0.policy == p }.sorted { $0.seed < $1.seed })
        })
        print(json ? try report.json() : report.table(pods: workload.pods.count, nodes: workload.nodes.count))
    }
}

/// CPU time of the calling thread, in nanoseconds. Decision latency is measured in CPU time so that
/// other processes on a shared machine (preemption) do not show up as placement cost.
private func threadCPUNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Hands out run indices to worker threads and collects their results.
private final class RunQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var results: [InflationRun.Result?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.withLock {
            guard next < results.count else { return nil }
            next += 1
            return next - 1
        }
    }

    func finish(_ i: Int, _ result: InflationRun.Result?) { lock.withLock { results[i] = result } }

    var all: [InflationRun.Result] { lock.withLock { results.compactMap { $0 } } }
}
