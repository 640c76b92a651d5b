import GRDB
import ReservoirCore

/// A job with the history it already lived, for `reservoir bench seed`: a big database made fast, so
/// start-up time and memory can be measured over 100,000 jobs without submitting them one by one.
public struct SeededJob: Sendable {
    /// The job as it ends up (state, times, placements); its id is assigned on insert.
    public var job: Job
    /// Its events in order (submitted, admitted, running, and how it ended).
    public var events: [JobEvent]

    public init(job: Job, events: [JobEvent]) {
        self.job = job
        self.events = events
    }
}

extension SQLiteStore {
    /// Inserts jobs with their history in one transaction, through the same row writers as a submission
    /// (ids in order, the job table's bookkeeping), each with its events, one audit entry, and — for a job
    /// that ran — its usage from start to finish on its placements. A seeded job never holds devices:
    /// only jobs that wait or have ended are accepted (allocations belong to the scheduler).
    @discardableResult
    public func seedJobs(_ seeded: [SeededJob], by who: Attribution) throws -> [JobID] {
        if let holding = seeded.first(where: { $0.job.state.holdsDevices }) {
            throw ReservoirError.invalid("state", "a seeded job must wait or have ended, not be \(holding.job.state.rawValue)")
        }
        return try db.write { db in
            try seeded.map { item in
                let job = try Self.insertNumbered(db, item.job)
                for event in item.events {
                    try Self.event(db, job.id, at: event.at, kind: event.kind, message: event.message)
                }
                if let started = job.startedAt, let finished = job.finishedAt, !job.placements.isEmpty {
                    try Self.openUsage(db, job, at: started)
                    try Self.closeUsage(db, job.id, at: finished, by: .ended)
                }
                try Self.audit(db, who, action: "job.seed", object: "jobs/\(job.id)", tenant: job.tenant, before: Nothing?.none, after: job)
                return job.id
            }
        }
    }
}
