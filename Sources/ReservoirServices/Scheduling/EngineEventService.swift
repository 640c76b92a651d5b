import Logging
import ReservoirCore
import ReservoirEngine
import ReservoirStore
import ServiceLifecycle

/// Applies what the engine reports (started, finished, failed, preempted) to the store. (Reconciling
/// the store with the engine's view is the scheduler loop's job, between cycles: see `SchedulerService`.)
public struct EngineEventService: Service {
    let reservoir: Reservoir

    public init(reservoir: Reservoir) { self.reservoir = reservoir }

    public func run() async throws {
        let events = reservoir.engine.events()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events.cancelOnGracefulShutdown() {
                    reservoir.scheduling.apply(event)
                }
            }
            if let polling = reservoir.engine as? any PollingEngine {
                group.addTask {
                    while !Task.isCancelled, !Task.isShuttingDownGracefully {
                        await polling.poll()
                        try? await Task.sleep(nanoseconds: 200_000_000)
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}

extension SchedulingContext {
    /// Applies one engine event. Engines deliver at least once and race with Reservoir's own changes
    /// (a cancel, a preemption, reconciliation reading the same state), so every change is conditional
    /// on the state the job is in when it is written: a repeated or stale event changes nothing and is
    /// logged at debug level, never raised.
    /// `component`: who applies it — the engine's stream, or the reconciler reading the engine's records
    /// after a restart (its endings close usage as `reconciled`).
    public func apply(_ event: EngineEvent, by component: String = "engine") {
        do {
            let current = try store.job(event.job)
            guard let job = current, !job.state.isFinal else { return ignored(event, current?.state) }
            let who = system(component)
            let onEngine: Set<JobState> = [.admitted, .running]
            var applied: Job?
            switch event.kind {
            case .started:
                applied = try store.transitionJob(job.id, from: [.admitted], to: .running, by: who, message: "started on \(engine.kind.rawValue)") {
                    $0.startedAt = event.at
                }
            case .succeeded, .failed:
                // A job that started and ended between two looks passes through running.
                try store.transitionJob(job.id, from: [.admitted], to: .running, by: who, message: "started") { $0.startedAt = event.at }
                let state: JobState = event.kind == .succeeded ? .succeeded : .failed
                let message = Self.endMessage(event, state: state)
                applied = try store.transitionJob(job.id, from: [.running], to: state, by: who, message: message ?? state.rawValue) {
                    $0.finishedAt = event.at
                    $0.message = message
                    $0.exitCode = event.exitCode
                    $0.progressSeconds += max(0, event.at - ($0.startedAt ?? event.at))
                }
            case .cancelled:
                // Only a job on the engine can be cancelled by it; a late event of an earlier run is stale.
                applied = try store.transitionJob(job.id, from: onEngine, to: .cancelled, by: who, message: event.message ?? "cancelled by the engine") {
                    $0.finishedAt = event.at
                    // Ended as asked (a cancel, a reclamation's stop): say what was asked, not that it was unconfirmed.
                    $0.message = $0.pendingEngineCall?.endsJob == true ? Self.requestedEnd($0.message) : event.message ?? "cancelled by the engine"
                }
            case .preempted where job.pendingEngineCall?.endsJob == true:
                // The user asked to cancel, or the job's grant was reclaimed (it checkpointed in its grace
                // period): the engine's eviction ends the job, it does not requeue it.
                let message = job.pendingEngineCall == .stop ? Self.requestedEnd(job.message ?? "stopped") : "cancelled (the engine preempted it first)"
                applied = try store.transitionJob(job.id, from: onEngine, to: .cancelled, by: who, message: message) {
                    $0.finishedAt = event.at
                    $0.progressSeconds += max(0, event.at - ($0.startedAt ?? event.at))
                }
            case .preempted:
                applied = try store.transitionJob(job.id, from: onEngine, to: .preempted, by: who, message: event.message ?? "preempted; requeued with progress kept") {
                    $0.progressSeconds += max(0, event.at - ($0.startedAt ?? event.at))
                    $0.startedAt = nil
                }
            }
            guard let applied else { return ignored(event, try store.job(event.job)?.state) }
            if event.kind != .started { wakeups.poke() }
            if applied.grant != nil, [.started, .succeeded, .failed].contains(event.kind) { grantInUse(applied) }
        } catch {
            logger.error("could not apply engine event", metadata: ["job.id": "\(event.job)", "error": "\(error)"])
        }
    }

    /// A job under a grant ran: its request becomes active (the first time). A failure is logged; the
    /// job's own change stands.
    private func grantInUse(_ job: Job) {
        do {
            try grants?.workStarted(job)
        } catch {
            logger.error("could not mark the grant in use", metadata: ["job.id": "\(job.id)", "grant.id": "\(job.grant?.rawValue ?? "")", "error": "\(error)"])
        }
    }

    private func ignored(_ event: EngineEvent, _ state: JobState?) {
        logger.debug("engine event ignored: repeated or stale", metadata: [
            "job.id": "\(event.job)", "event": "\(event.kind)", "job.state": "\(state?.rawValue ?? "unknown")",
        ])
    }

    /// How a run ended, in the job's message and its event: the exit code first, then the engine's reason
    /// (`exit code 3: NonZeroExitCode`).
    static func endMessage(_ event: EngineEvent, state: JobState) -> String? {
        switch (event.exitCode, event.message) {
        case (let code?, let reason?) where code != 0 || state == .failed: "exit code \(code): \(reason)"
        case (let code?, _) where code != 0 || state == .failed: "exit code \(code)"
        default: event.message
        }
    }
}
