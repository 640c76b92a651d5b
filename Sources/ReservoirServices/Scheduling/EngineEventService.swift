import Foundation
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
        let inbox = EngineEventInbox()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events.cancelOnGracefulShutdown() { inbox.put(event) }
                inbox.close()
            }
            // Events come in bursts (a cycle admits thousands, they all start): each burst is applied
            // at once, so its transitions share group commits instead of paying an fsync each.
            group.addTask {
                while let burst = await inbox.take() { await reservoir.scheduling.apply(burst) }
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
            var applied: Job?
            for t in transitions(event, of: job) {
                applied = try store.transitionJob(job.id, from: t.from, to: t.to, by: who, message: t.message, change: t.change)
            }
            try settled(event, applied)
        } catch {
            logger.error("could not apply engine event", metadata: ["job.id": "\(event.job)", "error": "\(error)"])
        }
    }

    /// `apply` for the engine's stream: each transition waits for a group commit (`DurableJobWrites`),
    /// not holding a thread through the fsync.
    public func applyDurably(_ event: EngineEvent, by component: String = "engine") async {
        do {
            let current = try store.job(event.job)
            guard let job = current, !job.state.isFinal else { return ignored(event, current?.state) }
            let who = system(component)
            var applied: Job?
            for t in transitions(event, of: job) {
                applied = try await store.transitionJobDurably(job.id, from: t.from, to: t.to, by: who, message: t.message, change: t.change)
            }
            try settled(event, applied)
        } catch {
            logger.error("could not apply engine event", metadata: ["job.id": "\(event.job)", "error": "\(error)"])
        }
    }

    /// Applies a burst of engine events: one job's events in the order they came, different jobs'
    /// concurrently, so their transitions land in the same group commits.
    public func apply(_ burst: [EngineEvent]) async {
        var perJob: [JobID: [EngineEvent]] = [:]
        var order: [JobID] = []
        for event in burst {
            if perJob[event.job] == nil { order.append(event.job) }
            perJob[event.job, default: []].append(event)
        }
        await withTaskGroup(of: Void.self) { group in
            for id in order {
                let events = perJob[id] ?? []
                group.addTask { for event in events { await applyDurably(event) } }
            }
        }
    }

    /// One conditional change of a job's state that an engine event asks for.
    struct EngineTransition: Sendable {
        var from: Set<JobState>
        var to: JobState
        var message: String
        var change: @Sendable (inout Job) -> Void
    }

    /// What an engine event changes, in order; each only if the job is still in its `from` states when
    /// written, and the last one's result is the event's.
    func transitions(_ event: EngineEvent, of job: Job) -> [EngineTransition] {
        let onEngine: Set<JobState> = [.admitted, .running]
        switch event.kind {
        case .started:
            return [EngineTransition(from: [.admitted], to: .running, message: "started on \(engine.kind.rawValue)") { $0.startedAt = event.at }]
        case .succeeded, .failed:
            let state: JobState = event.kind == .succeeded ? .succeeded : .failed
            let message = Self.endMessage(event, state: state)
            return [
                // A job that started and ended between two looks passes through running.
                EngineTransition(from: [.admitted], to: .running, message: "started") { $0.startedAt = event.at },
                EngineTransition(from: [.running], to: state, message: message ?? state.rawValue) {
                    $0.finishedAt = event.at
                    $0.message = message
                    $0.exitCode = event.exitCode
                    $0.progressSeconds += max(0, event.at - ($0.startedAt ?? event.at))
                },
            ]
        case .cancelled:
            // Only a job on the engine can be cancelled by it; a late event of an earlier run is stale.
            return [EngineTransition(from: onEngine, to: .cancelled, message: event.message ?? "cancelled by the engine") {
                $0.finishedAt = event.at
                // Ended as asked (a cancel, a reclamation's stop): say what was asked, not that it was unconfirmed.
                $0.message = $0.pendingEngineCall?.endsJob == true ? Self.requestedEnd($0.message) : event.message ?? "cancelled by the engine"
            }]
        case .preempted where job.pendingEngineCall?.endsJob == true:
            // The user asked to cancel, or the job's grant was reclaimed (it checkpointed in its grace
            // period): the engine's eviction ends the job, it does not requeue it.
            let message = job.pendingEngineCall == .stop ? Self.requestedEnd(job.message ?? "stopped") : "cancelled (the engine preempted it first)"
            return [EngineTransition(from: onEngine, to: .cancelled, message: message) {
                $0.finishedAt = event.at
                $0.progressSeconds += max(0, event.at - ($0.startedAt ?? event.at))
            }]
        case .preempted:
            return [EngineTransition(from: onEngine, to: .preempted, message: event.message ?? "preempted; requeued with progress kept") {
                $0.progressSeconds += max(0, event.at - ($0.startedAt ?? event.at))
                $0.startedAt = nil
            }]
        }
    }

    /// After an event's transitions: a stale one is logged; a job that ended wakes the scheduler; a
    /// grant's job that ran marks the grant in use.
    private func settled(_ event: EngineEvent, _ applied: Job?) throws {
        guard let applied else { return ignored(event, try store.job(event.job)?.state) }
        if event.kind != .started { wakeups.poke() }
        if applied.grant != nil, [.started, .succeeded, .failed].contains(event.kind) { grantInUse(applied) }
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

/// Engine events waiting to be applied: the stream's reader puts them in, the applier takes all that
/// have arrived at once (a burst), or waits for the next.
final class EngineEventInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [EngineEvent] = []
    private var closed = false
    private var waiter: CheckedContinuation<[EngineEvent]?, Never>?

    func put(_ event: EngineEvent) {
        let waiting: CheckedContinuation<[EngineEvent]?, Never>? = lock.withLock {
            guard let waiter else {
                events.append(event)
                return nil
            }
            self.waiter = nil
            return waiter
        }
        waiting?.resume(returning: [event])
    }

    /// No more events come (the stream ended): a waiting `take` answers nil.
    func close() {
        let waiting: CheckedContinuation<[EngineEvent]?, Never>? = lock.withLock {
            closed = true
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume(returning: nil)
    }

    /// Every event put since the last take, waiting for one if there is none; nil once closed and empty.
    func take() async -> [EngineEvent]? {
        await withCheckedContinuation { continuation in
            let ready: [EngineEvent]?? = lock.withLock {
                if !events.isEmpty {
                    defer { events = [] }
                    return .some(events)
                }
                if closed { return .some(nil) }
                waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
