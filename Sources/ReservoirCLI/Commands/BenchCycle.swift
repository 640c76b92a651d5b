import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirPlacement
import ReservoirScheduling

/// `reservoir bench cycle`: times one full scheduling cycle on the openb inventory with N pending
/// jobs, against the simplest FIFO + first-fit cycle measured in the same run on the same snapshot.
struct BenchCycle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycle",
        abstract: "Time one scheduling cycle with N pending jobs against a FIFO + first-fit baseline."
    )

    @Option(help: "The openb node list CSV.") var nodes: String
    @Option(help: "Pending jobs in the snapshot.") var pending: Int = 10_000
    @Option(help: "Timed repetitions (after one warm-up).") var iterations: Int = 10
    @Option(help: "Queue policy: fifo, priority, fair-share or capacity.") var policy: QueuePolicy = .fairShare
    @Option(help: "Seed of the generated workload.") var seed: UInt64 = 42
    @Option(help: "Placement policy: \(PlacementPolicy.allNames.joined(separator: ", ")).") var placement = PlacementPolicy.defaultName
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "Write the last timed cycle's whole result (decisions, evictions, resizes, reservations, every waiting reason) to this file as canonical JSON, to compare two builds byte for byte.")
    var dump: String?

    struct Report: Codable {
        var pending: Int
        var nodes: Int
        var active: Int
        var iterations: Int
        var p50Ms: Double
        var p99Ms: Double
        /// CPU time of the cycle's thread (wall time on a shared machine includes waiting for a core).
        var cpuP50Ms: Double
        var decisions: Int
        var evictions: Int
        var reservations: Int
        var decisionsPerSecond: Double
        var baselineP50Ms: Double
        var baselineDecisions: Int
        var speedupVsBaseline: Double

        enum CodingKeys: String, CodingKey {
            case pending, nodes, active, iterations, decisions, evictions, reservations
            case p50Ms = "p50_ms", p99Ms = "p99_ms", cpuP50Ms = "cpu_p50_ms", decisionsPerSecond = "decisions_per_second"
            case baselineP50Ms = "baseline_p50_ms", baselineDecisions = "baseline_decisions", speedupVsBaseline = "speedup_vs_baseline"
        }
    }

    func validate() throws {
        guard PlacementPolicy.allNames.contains(placement) else {
            throw ValidationError("unknown --placement \(placement); one of \(PlacementPolicy.allNames.joined(separator: ", "))")
        }
    }

    mutating func run() async throws {
        let rows = try OpenbTrace.parseNodes(csv: String(contentsOfFile: nodes, encoding: .utf8))
        let snapshot = CycleBenchWorkload.snapshot(nodes: rows, pending: pending, seed: seed)
        let cycle = SchedulingCycle(configuration: SchedulerConfiguration(placementPolicy: placement, maxJobsPerCycle: max(pending, 1), queuePolicy: policy))
        let clock = ContinuousClock()
        var result = cycle.run(snapshot)
        var times: [Double] = []
        var cpu: [Double] = []
        for _ in 0..<max(1, iterations) {
            let c0 = threadCPUms()
            let t0 = clock.now
            result = cycle.run(snapshot)
            times.append(BenchFigures.milliseconds(t0.duration(to: clock.now)))
            cpu.append(threadCPUms() - c0)
        }
        var baselineStarted = BaselineCycle.run(snapshot)
        var baseline: [Double] = []
        for _ in 0..<max(1, iterations) {
            let t0 = clock.now
            baselineStarted = BaselineCycle.run(snapshot)
            baseline.append(BenchFigures.milliseconds(t0.duration(to: clock.now)))
        }
        let sortedTimes = times.sorted()
        let p50 = BenchFigures.quantile(sorted: sortedTimes, 0.5), p99 = BenchFigures.quantile(sorted: sortedTimes, 0.99)
        let b50 = BenchFigures.quantile(sorted: baseline.sorted(), 0.5)
        let report = Report(
            pending: pending, nodes: rows.count, active: snapshot.active.count, iterations: times.count, p50Ms: p50, p99Ms: p99, cpuP50Ms: BenchFigures.quantile(sorted: cpu.sorted(), 0.5),
            decisions: result.decisions.count, evictions: result.evictions.count, reservations: result.reservations.count,
            decisionsPerSecond: Double(result.decisions.count) / (p50 / 1000), baselineP50Ms: b50,
            baselineDecisions: baselineStarted, speedupVsBaseline: b50 / p50
        )
        if let dump { try CycleDump(result).json().write(to: URL(fileURLWithPath: dump)) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("cycle with \(pending) pending on \(rows.count) nodes (\(report.active) running): p50 \(p50) ms (CPU \(report.cpuP50Ms) ms), p99 \(p99) ms, "
                + "\(report.decisions) decisions, \(report.evictions) evictions; baseline FIFO+first-fit p50 \(b50) ms "
                + "(\(baselineStarted) started)")
        }
    }

    /// CPU time consumed by the calling thread so far, in milliseconds.
    private func threadCPUms() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
    }
}
