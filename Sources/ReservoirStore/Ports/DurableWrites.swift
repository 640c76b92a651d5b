import ReservoirCore

/// Writes a client waits on, made durable in a transaction shared with the others that arrived
/// meanwhile (group commit: one fsync for the batch) and awaited without holding a thread through
/// that fsync. Each answers only after its COMMIT; each fails alone (its savepoint rolls back).
public protocol DurableJobWrites: Sendable {
    /// `JobStore.insertJob`, batched: returns once the job, its event, its audit entry and its
    /// idempotency key are durable. Ids are assigned in arrival order, dense.
    func insertJobDurably(_ job: Job, idempotency: IdempotencyKey?, by who: Attribution) async throws -> Job
    /// `JobStore.transitionJob(_:from:to:…)`, batched (engine events arrive in bursts: 10k jobs start at once).
    func transitionJobDurably(
        _ id: JobID, from states: Set<JobState>, to state: JobState, by who: Attribution, message: String,
        change: @escaping @Sendable (inout Job) -> Void
    ) async throws -> Job?
}
