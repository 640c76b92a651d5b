import Foundation
import ReservoirCore
import ReservoirEngine

/// Reading jobs back from the controller, always by Reservoir's tag, never by a remembered Slurm id.
extension SlurmEngine {
    /// Every job the controller holds that carries a Reservoir tag, grouped by Reservoir id.
    /// (The controller forgets finished jobs after `MinJobAge`; accounting keeps them, see `usage`.)
    func taggedJobs() async throws(SlurmError) -> [JobID: [SlurmJob]] {
        let reply = try await rest.request(.GET, "/slurm/v0.0.38/jobs", as: SlurmJobsReply.self)
        var result: [JobID: [SlurmJob]] = [:]
        for job in reply.jobs ?? [] {
            guard let id = SlurmMapping.reservoirJob(comment: job.comment, name: job.name, instance: configuration.instance) else { continue }
            result[id, default: []].append(job)
        }
        known = result.compactMapValues { copies in current(of: copies).map(\.job_id) }
        return result
    }

    /// The one copy that stands for the job: the oldest live one (it is the one most likely running),
    /// else the newest finished one.
    nonisolated func current(of copies: [SlurmJob]) -> SlurmJob? {
        let live = copies.filter { !isFinal($0) }
        if let oldest = live.min(by: { $0.job_id < $1.job_id }) { return oldest }
        return copies.max { $0.job_id < $1.job_id }
    }

    /// The live or preempted copy of `job`, checked by tag. Uses the remembered id when it still carries
    /// the tag (one cheap `GET /job/{id}`), and the full listing otherwise.
    func liveCopy(of job: JobID) async throws(SlurmError) -> SlurmJob? {
        if known == nil { _ = try await taggedJobs() }
        guard let id = known?[job] else { return nil }
        let reply = try? await rest.request(.GET, "/slurm/v0.0.38/job/\(id)", as: SlurmJobsReply.self)
        if let copy = reply?.jobs?.first, SlurmMapping.reservoirJob(comment: copy.comment, name: copy.name, instance: configuration.instance) == job {
            return isFinal(copy) ? nil : copy
        }
        // The id was lost or reused (controller crash): look the job up by its tag.
        return try await taggedJobs()[job].flatMap { current(of: $0) }.flatMap { isFinal($0) ? nil : $0 }
    }

    /// Finished for good on Slurm. A preempted (requeued, held) copy is not: `submit` resumes it.
    nonisolated func isFinal(_ job: SlurmJob) -> Bool {
        let raw = SlurmMapping.phase(state: job.job_state, reason: job.state_reason, restarts: job.restart_cnt)
        return raw == .succeeded || raw == .failed || raw == .cancelled || job.job_state == "PREEMPTED"
    }

    nonisolated func report(_ job: JobID, _ copy: SlurmJob) -> EngineJobReport {
        let phase = SlurmMapping.phase(of: copy)
        let started = copy.start_time.flatMap { $0 > 0 && phase != .pending ? Double($0) : nil }
        let finished = copy.end_time.flatMap { $0 > 0 && phase.isFinal ? Double($0) : nil }
        var message = "slurm \(copy.job_state ?? "?")"
        if let reason = copy.state_reason, reason != "None" { message += " (\(reason))" }
        if let nodes = copy.nodes, !nodes.isEmpty { message += " on \(nodes)" }
        return EngineJobReport(
            job: job, engineID: String(copy.job_id), phase: phase, startedAt: started, finishedAt: finished, message: message,
            exitCode: phase == .succeeded || phase == .failed ? SlurmMapping.exitCode(waitStatus: copy.exit_code) : nil
        )
    }

    /// State changes of tagged jobs, found by polling the controller every `pollInterval`.
    ///
    /// Each call starts its own poller, stopped when the consumer stops iterating. Delivery is at least
    /// once: a new stream first reports the current state of every tagged job that has started.
    public nonisolated func events() -> AsyncStream<EngineEvent> {
        AsyncStream { continuation in
            let task = Task {
                var tracker = SlurmEventTracker()
                while !Task.isCancelled {
                    if let listing = try? await self.taggedJobs() {
                        let now = Date().timeIntervalSince1970
                        for (job, copies) in listing {
                            guard let copy = self.current(of: copies) else { continue }
                            for event in tracker.observe(job, copy, now: now) { continuation.yield(event) }
                        }
                    }
                    try? await Task.sleep(for: self.configuration.pollInterval)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Turns successive observations of one job into events: a pure state machine, tested without Slurm.
struct SlurmEventTracker: Sendable {
    private var last: [JobID: (phase: EngineJobPhase, restarts: Int, slurmID: Int)] = [:]

    mutating func observe(_ job: JobID, _ copy: SlurmJob, now: Double) -> [EngineEvent] {
        let phase = SlurmMapping.phase(of: copy)
        let restarts = copy.restart_cnt ?? 0
        let previous = last[job]
        last[job] = (phase, restarts, copy.job_id)
        let started = copy.start_time.flatMap { $0 > 0 ? Double($0) : nil } ?? now
        let ended = copy.end_time.flatMap { $0 > 0 && $0 < Int(now) + 86_400 ? Double($0) : nil } ?? now
        var events: [EngineEvent] = []
        // Requeued (by Slurm's own QOS preemption or a node failure) and maybe restarted between two polls.
        if let previous, previous.slurmID == copy.job_id, restarts > previous.restarts, previous.phase == .running {
            events.append(EngineEvent(job: job, kind: .preempted, at: now, message: "requeued by Slurm"))
            if phase == .running { events.append(EngineEvent(job: job, kind: .started, at: started)) }
            return events
        }
        guard previous?.phase != phase else { return [] }
        let message = copy.state_reason.flatMap { $0 == "None" ? nil : $0 }
        switch phase {
        case .running: events.append(EngineEvent(job: job, kind: .started, at: started))
        case .succeeded: events.append(EngineEvent(job: job, kind: .succeeded, at: ended, exitCode: SlurmMapping.exitCode(waitStatus: copy.exit_code)))
        case .failed:
            events.append(EngineEvent(
                job: job, kind: .failed, at: ended, message: message ?? copy.job_state, exitCode: SlurmMapping.exitCode(waitStatus: copy.exit_code)))
        case .cancelled: events.append(EngineEvent(job: job, kind: .cancelled, at: ended, message: message))
        case .preempted: events.append(EngineEvent(job: job, kind: .preempted, at: now, message: message))
        case .pending where previous?.phase == .running:
            events.append(EngineEvent(job: job, kind: .preempted, at: now, message: message ?? "requeued by Slurm"))
        case .pending, .unknown: break
        }
        return events
    }
}
