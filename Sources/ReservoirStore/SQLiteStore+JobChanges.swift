import GRDB
import ReservoirCore

/// The job change feed: each write of a job row stamps it with the next `change_seq` (migration
/// v15-job-changes; its triggers refuse a stamp that does not grow). A consumer that keeps its own view of
/// the jobs (the scheduler) reads only what changed since the last stamp it applied instead of every job.
extension SQLiteStore {
    /// Jobs written after stamp `since`, oldest change first, at most `limit`, each in its latest state
    /// (a job changed twice appears once, at its later stamp), with the stamp to pass next time.
    ///
    /// `through` is the last returned job's stamp when the page is full, else the newest stamp in the
    /// database (so an idle feed still moves, and `through < since` means the stamps went backwards: a
    /// database restored from an older copy, after which the consumer must rebuild its view).
    public func jobsChanged(since: Int64, limit: Int) throws -> (jobs: [Job], through: Int64) {
        try db.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT change_seq, body FROM job WHERE change_seq > ? ORDER BY change_seq LIMIT ?",
                arguments: [since, max(0, limit)])
            let jobs = try rows.map(decodedJob)
            if limit > 0, rows.count == limit, let last = rows.last { return (jobs, last["change_seq"]) }
            return (jobs, try Self.latestChangeSeq(db))
        }
    }

    /// The newest stamp. Read it BEFORE a full read of the jobs, then apply `jobsChanged(since:)` from it:
    /// a change seen twice is harmless (the feed gives whole jobs), a change missed is not.
    public func jobChangeSeq() throws -> Int64 {
        try db.read { try Self.latestChangeSeq($0) }
    }

    public func firstSubmittedAt() throws -> Double? {
        try db.read { try Double.fetchOne($0, sql: "SELECT MIN(submitted_at) FROM job") }
    }

    static func latestChangeSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(change_seq), 0) FROM job") ?? 0
    }

    /// The stamp for the job row written next in this transaction (one writer: above every committed stamp).
    static func nextChangeSeq(_ db: Database) throws -> Int64 {
        try latestChangeSeq(db) + 1
    }
}
