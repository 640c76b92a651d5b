import Logging
import ReservoirCore
import ReservoirEngine
import ReservoirStore
import ServiceLifecycle

/// Applies what the engine reports (started, finished, failed, preempted) to the store, and on
/// start-up reconciles the store with the engine's view.
public struct EngineEventService: Service {
    let reservoir: Reservoir

    public init(reservoir: Reservoir) { self.reservoir = reservoir }

    public func run() async throws {
        let events = reservoir.engine.events()
        try await reservoir.reconcile()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events.cancelOnGracefulShutdown() {
                    reservoir.apply(event)
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

extension Reservoir {
    /// Applies one engine event; events for jobs already in a matching or final state are ignored
    /// (engines deliver at least once).
    public func apply(_ event: EngineEvent) {
        do {
            guard let job = try store.job(event.job), !job.state.isFinal else { return }
            let who = system("engine")
            switch event.kind {
            case .started:
                guard job.state == .admitted else { return }
                try store.transitionJob(job.id, to: .running, by: who, message: "started on \(engine.kind.rawValue)") { $0.startedAt = event.at }
            case .succeeded, .failed:
                guard job.state.holdsDevices else { return }
                if job.state == .admitted {
                    try store.transitionJob(job.id, to: .running, by: who, message: "started") { $0.startedAt = event.at }
                }
                let state: JobState = event.kind == .succeeded ? .succeeded : .failed
                try store.transitionJob(job.id, to: state, by: who, message: event.message ?? state.rawValue) {
                    $0.finishedAt = event.at
                    $0.message = event.message
                    $0.progressSeconds += max(0, event.at - ($0.startedAt ?? event.at))
                }
                wakeups.poke()
            case .cancelled:
                try store.transitionJob(job.id, to: .cancelled, by: who, message: event.message ?? "cancelled by the engine") { $0.finishedAt = event.at }
                wakeups.poke()
            case .preempted:
                guard job.state.holdsDevices else { return }
                try store.transitionJob(job.id, to: .preempted, by: who, message: event.message ?? "preempted; requeued with progress kept") {
                    $0.progressSeconds += max(0, event.at - ($0.startedAt ?? event.at))
                    $0.startedAt = nil
                }
                wakeups.poke()
            }
        } catch {
            logger.error("could not apply engine event", metadata: ["job.id": "\(event.job)", "error": "\(error)"])
        }
    }

    /// Brings the store and the engine into agreement after a restart: jobs the store believes
    /// hold devices are checked against the engine; jobs the engine lost are resubmitted with their
    /// progress kept; jobs that ended meanwhile take their final state. Every repair is audited.
    public func reconcile() async throws {
        let active = try store.jobs(tenant: nil, states: [.admitted, .running], limit: 1_000_000)
        for job in active {
            let report = try await engine.status(job.id)
            switch report.phase {
            case .running, .pending:
                if job.state == .admitted { apply(EngineEvent(job: job.id, kind: .started, at: report.startedAt ?? clock())) }
            case .succeeded: apply(EngineEvent(job: job.id, kind: .succeeded, at: report.finishedAt ?? clock(), message: report.message))
            case .failed: apply(EngineEvent(job: job.id, kind: .failed, at: report.finishedAt ?? clock(), message: report.message))
            case .cancelled: apply(EngineEvent(job: job.id, kind: .cancelled, at: report.finishedAt ?? clock(), message: report.message))
            case .preempted: apply(EngineEvent(job: job.id, kind: .preempted, at: report.finishedAt ?? clock(), message: report.message))
            case .unknown:
                let now = clock()
                let repaired = try store.updateJob(job.id, action: "reconcile", by: system("reconciler")) {
                    $0.progressSeconds += max(0, now - ($0.startedAt ?? now))
                    $0.startedAt = nil
                }
                logger.notice("engine lost job; resubmitting", metadata: ["job.id": "\(job.id)"])
                if repaired.state == .running {
                    try store.transitionJob(job.id, to: .preempted, by: system("reconciler"), message: "engine lost the job; requeued with progress kept") { _ in }
                } else {
                    await start(repaired)
                    // The engine's "started" may precede this service's subscription; read it back.
                    let after = try await engine.status(job.id)
                    if after.phase == .running { apply(EngineEvent(job: job.id, kind: .started, at: after.startedAt ?? clock())) }
                }
            }
        }
        wakeups.poke()
    }
}
