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
                let message = Self.endMessage(event, state: state)
                try store.transitionJob(job.id, to: state, by: who, message: message ?? state.rawValue) {
                    $0.finishedAt = event.at
                    $0.message = message
                    $0.exitCode = event.exitCode
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
