import GRDB
import ReservoirCore

extension SQLiteStore {
    public func insertJobDurably(_ job: Job, idempotency: IdempotencyKey?, by who: Attribution) async throws -> Job {
        try await commits.write { db in try Self.submitted(db, job, idempotency: idempotency, by: who) }
    }

    public func transitionJobDurably(
        _ id: JobID, from states: Set<JobState>, to state: JobState, by who: Attribution, message: String,
        change: @escaping @Sendable (inout Job) -> Void
    ) async throws -> Job? {
        try await commits.write { db in try Self.transition(db, id, from: states, to: state, by: who, message: message, change: change) }
    }

    /// A submission inside the caller's transaction: the job under the next id, its `submitted` event,
    /// its audit entry and its idempotency key (a key already stored refuses it: see `remember`).
    static func submitted(_ db: Database, _ job: Job, idempotency: IdempotencyKey?, by who: Attribution) throws -> Job {
        let job = try insertNumbered(db, job)
        try event(db, job.id, at: who.at, kind: "submitted", message: "submitted by \(who.actor)")
        try audit(db, who, action: "job.submit", object: "jobs/\(job.id)", tenant: job.tenant, before: Nothing?.none, after: job)
        try remember(db, idempotency, object: "jobs/\(job.id)", at: who.at)
        return job
    }
}
