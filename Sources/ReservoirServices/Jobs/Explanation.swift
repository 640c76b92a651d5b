import ReservoirCore
import ReservoirStore

/// The answer to "why is my job (not) running?", for people and machines.
public struct Explanation: Codable, Sendable {
    public var job: JobID
    public var state: JobState
    /// `quota`, `capacity`, `constraint`, `gang`, `reservation`, `pool`, `scheduling` for waiting jobs; `placed` or `finished` otherwise.
    public var kind: String
    public var message: String
    /// Position among waiting jobs of the same pool in scheduling order (1 = next), for waiting jobs.
    public var queuePosition: Int?
    public var details: [String: Int]
    public var placements: [ReplicaPlacement]
    /// Predicted runtime and peak GPU memory from history, for waiting and running jobs that have enough of it.
    public var prediction: JobPrediction? = nil
}

extension JobsContext {
    /// Told to the principal: a member hears of other tenants' jobs by class only (`JobMentions`).
    public func explain(_ id: JobID, by principal: Principal) throws -> Explanation {
        let job = try job(id, by: principal)
        var mentions = JobMentions(store: store, principal: principal, access: access)
        var explanation = try reason(job, mentions: &mentions)
        guard !job.state.isFinal, let prediction = try predictions?.prediction(for: job) else { return explanation }
        explanation.prediction = prediction
        explanation.message += job.runtimeSeconds == nil
            ? "; no declared runtime, so backfill plans with the prediction: \(prediction.sentence)" : "; declared runtime \(HumanDuration.text(seconds: job.runtimeSeconds!)), \(prediction.sentence)"
        return explanation
    }

    private func reason(_ job: Job, mentions: inout JobMentions) throws -> Explanation {
        let id = job.id
        switch job.state {
        case .queued, .preempted:
            let waiting = try store.jobs(tenant: nil, states: [.queued, .preempted], limit: 100_000)
                .filter { $0.pool == job.pool }
                .sorted { a, b in
                    if a.priority != b.priority { return a.priority < b.priority }
                    if a.submittedAt != b.submittedAt { return a.submittedAt < b.submittedAt }
                    return a.id < b.id
                }
            let position = (waiting.firstIndex { $0.id == job.id } ?? 0) + 1
            let reason = job.reason ?? PendingReason(kind: "scheduling", message: "waiting for the next scheduling cycle")
            return Explanation(
                job: id, state: job.state, kind: reason.kind,
                message: "\(job.priority.rawValue) (\(job.priority.title)) job, position \(position) of \(waiting.count) waiting in pool \(job.pool?.rawValue ?? "-"): \(reason.message)",
                queuePosition: position, details: reason.details, placements: [])
        case .admitted, .running:
            let rationale = try mentions.told(try store.decisions(job: id).last?.rationale ?? "placed")
            return Explanation(job: id, state: job.state, kind: "placed", message: rationale, queuePosition: nil, details: [:], placements: job.placements)
        case .succeeded, .failed, .cancelled:
            return Explanation(
                job: id, state: job.state, kind: "finished", message: job.message ?? "job \(job.state.rawValue)",
                queuePosition: nil, details: [:], placements: [])
        }
    }
}
