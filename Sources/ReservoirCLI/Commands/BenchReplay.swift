import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirScheduling

/// `reservoir bench replay`: replays an openb pod list in virtual time through the scheduling cycle
/// and prints allocation, waits per class, preemptions, lost work, starvation and fairness.
struct BenchReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay an openb pod list in virtual time through the scheduler.",
        discussion: """
            Arrival = creation_time / --load; runtime = deletion_time - scheduled_time (unscheduled pods: \
            deletion_time - creation_time); qos LS/Guaranteed -> P1, Burstable -> P2, BE/other -> P3; \
            tenant = FNV-1a(pod name) mod --tenants. See docs/BENCHMARKS.md.
            """
    )

    @Option(help: "The openb node list CSV.") var nodes: String
    @Option(help: "The openb pod list CSV (a variant with time columns).") var pods: String
    @Option(help: "Queue policy: fifo, priority, fair-share or capacity.") var policy: QueuePolicy = .fairShare
    @Option(help: "Placement policy name.") var placement: String = "bestfit"
    @Flag(help: "Disable preemption and reclaim.") var noPreemption = false
    @Flag(help: "Disable backfill reservations.") var noBackfill = false
    @Option(help: "Eviction grace period in seconds.") var grace: Double = 30
    @Option(help: "Aging rate in classes per hour (0 disables aging).") var aging: Double = 0.25
    @Option(help: "Arrival density factor: 2 replays the same pods twice as densely.") var load: Double = 1
    @Option(help: "Number of tenants derived from pod names.") var tenants: Int = 8
    @Flag(help: "Jobs declare their exact runtime (else backfill uses tenant history).") var declareRuntimes = false
    @Option(help: "Replay only the first N pods (by arrival).") var limit: Int?
    @Flag(help: "Print one JSON object.") var json = false

    mutating func run() async throws {
        let nodeRows = try OpenbTrace.parseNodes(csv: String(contentsOfFile: nodes, encoding: .utf8))
        var podRows = try OpenbTrace.parsePods(csv: String(contentsOfFile: pods, encoding: .utf8))
        if let limit { podRows = Array(podRows.sorted { ($0.creationTime ?? 0) < ($1.creationTime ?? 0) }.prefix(limit)) }
        let workload = try ReplayWorkload.openb(nodes: nodeRows, pods: podRows, tenants: tenants, load: load, declareRuntimes: declareRuntimes)
        var scheduler = SchedulerConfiguration(placementPolicy: placement, queuePolicy: policy, agingClassesPerHour: aging)
        scheduler.preemption.enabled = !noPreemption
        scheduler.preemption.graceSeconds = grace
        scheduler.backfill.enabled = !noBackfill
        let clock = ContinuousClock()
        let started = clock.now
        let report = TraceReplay(scheduler: scheduler).run(workload)
        let elapsed = started.duration(to: clock.now)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("replayed \(report.jobs) jobs in \(report.cycles) cycles (\(Int(report.virtualSeconds)) virtual s) in \(elapsed)")
        print("GPU allocation: mean \(pct(report.gpuAllocationMean)), p95 \(pct(report.gpuAllocationP95))")
        print("completed \(report.completed), never started \(report.neverStarted), preemptions \(report.preemptions), lost \(report.lostGPUHours) GPU-h")
        print("max wait \(Int(report.maxWaitSeconds)) s, Jain fairness \(report.jainFairness)")
        for (cls, w) in report.waitSeconds.sorted(by: { $0.key < $1.key }) {
            print("  wait \(cls): p50 \(Int(w.p50)) s, p95 \(Int(w.p95)) s, p99 \(Int(w.p99)) s")
        }
    }

    private func pct(_ x: Double) -> String { "\((x * 1000).rounded() / 10)%" }
}

/// Queue policies parse from their raw names (`fifo`, `priority`, `fair-share`, `capacity`).
extension QueuePolicy: ExpressibleByArgument {}
