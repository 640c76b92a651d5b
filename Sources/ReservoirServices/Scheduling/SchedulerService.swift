import Logging
import Metrics
import ReservoirCore
import ReservoirEngine
import ReservoirScheduling
import ReservoirStore
import ServiceLifecycle

/// The scheduler loop: snapshot from the store → pure cycle → commit in one transaction → tell the engine.
/// Runs every `cycleInterval` seconds, or sooner when a submission or completion wakes it.
public struct SchedulerService: Service {
    let reservoir: Reservoir

    public init(reservoir: Reservoir) { self.reservoir = reservoir }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await reservoir.runSchedulingCycle()
                } catch {
                    reservoir.logger.error("scheduling cycle failed", metadata: ["error": "\(error)"])
                }
                await reservoir.wakeups.wait(upTo: reservoir.configuration.cycleInterval)
            }
        }
    }
}

extension Reservoir {
    /// One full cycle, callable directly (tests, `reservoir schedule --once`).
    @discardableResult
    public func runSchedulingCycle() async throws -> CycleResult {
        let snapshot = try schedulingSnapshot()
        let started = ContinuousClock.now
        let result = SchedulingCycle(configuration: configuration.scheduler).run(snapshot)
        let elapsed = ContinuousClock.now - started
        Timer(label: MetricNames.cycleDuration).recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)

        let admitted = try store.applyCycle(
            decisions: result.decisions.map { ($0.job, $0.placements, $0.rationale) }, waiting: result.waiting, by: system("scheduler"))
        for job in admitted {
            await start(job)
        }
        if !admitted.isEmpty {
            logger.info("cycle admitted jobs", metadata: ["cycle.admitted": "\(admitted.count)", "cycle.waiting": "\(result.waiting.count)"])
        }
        try publishGauges()
        return result
    }

    func schedulingSnapshot() throws -> SchedulingSnapshot {
        let inventory = try store.inventory()
        return SchedulingSnapshot(
            now: clock(), pools: inventory.pools, nodes: inventory.nodes, tenants: try store.tenants(),
            quotas: try store.quotas(tenant: nil), active: try store.jobs(tenant: nil, states: [.admitted, .running], limit: 1_000_000),
            pending: try store.jobs(tenant: nil, states: [.queued, .preempted], limit: 1_000_000), catalog: try store.catalog())
    }

    /// Hands an admitted (already committed) job to the engine; if the engine refuses, the job is requeued.
    func start(_ job: Job) async {
        let remaining = job.runtimeSeconds.map { max(1, $0 - job.progressSeconds) }
        do {
            try await engine.submit(EngineJobSpec(job: job, remainingSeconds: remaining))
        } catch {
            logger.error("engine refused job", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
            _ = try? store.transitionJob(job.id, to: .queued, by: system("scheduler"), message: "engine refused: \(error)") {
                $0.reason = PendingReason(kind: "engine", message: "the engine refused the job: \(error)")
            }
        }
    }
}
