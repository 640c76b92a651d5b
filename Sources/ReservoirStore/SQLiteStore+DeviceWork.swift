import Foundation
import GRDB
import ReservoirCore

extension SQLiteStore {
    /// The fields of a stored job that `DeviceWork` reads; decoding only these skips the rest of the body.
    private struct WorkFields: Decodable {
        var kind: WorkloadKind
        var state: JobState
        var progressSeconds: Double
        var startedAt: Double?
        var finishedAt: Double?
        var placements: [ReplicaPlacement]
    }

    /// Streams the rows through a cursor in the order `jobs(tenant:states:since:limit:)` lists them (newest
    /// first, so the runtime sums add up in the same order), decoding each body's few fields, and keeps
    /// neither rows nor jobs: memory stays flat however long the history (100,000 jobs at start).
    public func deviceWork(states: Set<JobState>, since: Double, limit: Int) throws -> DeviceWork {
        let query = Self.jobConditions(JobListFilter(tenant: nil, states: states, since: since))
        return try db.read { db in
            var work = DeviceWork()
            let decoder = JSONDecoder()
            let rows = try Row.fetchCursor(
                db, sql: "SELECT body FROM job\(query.whereClause) ORDER BY seq DESC LIMIT ?",
                arguments: StatementArguments(query.arguments + [max(0, limit)]))
            while let row = try rows.next() {
                let body: String = row["body"]
                let job = try decoder.decode(WorkFields.self, from: Data(body.utf8))
                let runtime = Job.recordedRuntime(progressSeconds: job.progressSeconds, startedAt: job.startedAt, finishedAt: job.finishedAt)
                work.add(kind: job.kind, state: job.state, runtime: runtime, placements: job.placements)
            }
            return work
        }
    }
}
