import GRDB
import ReservoirCore

extension SQLiteStore {
    // MARK: - Writes

    /// Accepts a new job: assigns its id and commits it, with its audit entry, before returning.
    public func insertJob(_ job: Job, idempotency: IdempotencyKey?, by who: Attribution) throws -> Job {
        try db.write { db in
            let job = try Self.insertNumbered(db, job)
            try Self.event(db, job.id, at: who.at, kind: "submitted", message: "submitted by \(who.actor)")
            try Self.audit(db, who, action: "job.submit", object: "jobs/\(job.id)", tenant: job.tenant, before: Nothing?.none, after: job)
            try Self.remember(db, idempotency, object: "jobs/\(job.id)", at: who.at)
            return job
        }
    }

    /// Commits a scheduling cycle in one transaction: admitted jobs get their placements, device
    /// allocations (the schema refuses double booking) and open usage segments, waiting jobs get their reason.
    /// Returns the jobs that were admitted; a decision whose job is no longer pending is skipped.
    public func applyCycle(decisions: [(job: JobID, placements: [ReplicaPlacement], rationale: String)], waiting: [JobID: PendingReason], by who: Attribution) throws -> [Job] {
        try db.write { db in
            var admitted: [Job] = []
            for d in decisions {
                guard var job = try Self.job(db, d.job), job.state.isPending else { continue }
                let before = job
                try job.transition(to: .admitted)
                job.placements = d.placements
                job.reason = nil
                for p in d.placements {
                    for index in p.deviceIndices {
                        try db.execute(
                            sql: "INSERT INTO allocation (job, replica, device, node, milli) VALUES (?, ?, ?, ?, ?)",
                            arguments: [job.id.rawValue, p.replica, Device.id(node: p.node, index: index).rawValue, p.node.rawValue, p.gpuMilli])
                    }
                }
                try Self.save(db, job)
                try Self.openUsage(db, job, at: who.at)
                try db.execute(
                    sql: "INSERT INTO decision (job, at, body) VALUES (?, ?, ?)",
                    arguments: [job.id.rawValue, who.at, try Self.json(DecisionRecord(at: who.at, placements: d.placements, rationale: d.rationale))])
                try Self.event(db, job.id, at: who.at, kind: "admitted", message: d.rationale)
                try Self.audit(db, who, action: "job.admit", object: "jobs/\(job.id)", tenant: job.tenant, before: before, after: job)
                admitted.append(job)
            }
            for (id, reason) in waiting {
                guard var job = try Self.job(db, id), job.state.isPending, job.reason != reason else { continue }
                job.reason = reason
                try Self.save(db, job)
            }
            return admitted
        }
    }

    /// Moves a job through its state machine; leaving a device-holding state frees its devices.
    /// `change` may adjust other fields (times, progress, message) in the same transaction.
    @discardableResult
    public func transitionJob(
        _ id: JobID, to state: JobState, by who: Attribution, message: String, change: (inout Job) -> Void = { _ in }
    ) throws -> Job {
        try transitionJob(id, from: nil, to: state, by: who, message: message, change: change)!
    }

    @discardableResult
    public func transitionJob(
        _ id: JobID, from states: Set<JobState>, to state: JobState, by who: Attribution, message: String, change: (inout Job) -> Void = { _ in }
    ) throws -> Job? {
        try transitionJob(id, from: Optional(states), to: state, by: who, message: message, change: change)
    }

    private func transitionJob(
        _ id: JobID, from states: Set<JobState>?, to state: JobState, by who: Attribution, message: String, change: (inout Job) -> Void
    ) throws -> Job? {
        try db.write { db in try Self.transition(db, id, from: states, to: state, by: who, message: message, change: change) }
    }

    /// A job's state change inside the caller's transaction: leaving a device-holding state releases
    /// its allocations and closes its usage segments; the event and the audit entry are written with it.
    static func transition(
        _ db: Database, _ id: JobID, from states: Set<JobState>?, to state: JobState, by who: Attribution, message: String, change: (inout Job) -> Void
    ) throws -> Job? {
        guard var job = try Self.job(db, id) else { throw ReservoirError.notFound("job", "no job \(id)") }
        if let states, !states.contains(job.state) { return nil }
        let before = job
        try job.transition(to: state)
        change(&job)
        if !state.holdsDevices {
            job.pendingEngineCall = nil
            try db.execute(sql: "DELETE FROM allocation WHERE job = ?", arguments: [id.rawValue])
            if state.isPending {
                job.placements = []
                job.evictionRequestedAt = nil
            }
        }
        try Self.save(db, job)
        if before.state.holdsDevices, !state.holdsDevices {
            // Closed at the engine's end time when the change carries one (an engine event, the reconciler
            // reading the engine's records), else now.
            try Self.closeUsage(db, id, at: job.finishedAt ?? who.at, by: Self.closeReason(to: state, by: who))
        }
        try Self.event(db, id, at: who.at, kind: state.rawValue, message: message)
        try Self.audit(db, who, action: "job.\(state.rawValue)", object: "jobs/\(id)", tenant: job.tenant, before: before, after: job)
        return job
    }

    /// Changes a job's fields that do not touch its state (e.g. priority), audited.
    @discardableResult
    public func updateJob(_ id: JobID, action: String, by who: Attribution, change: (inout Job) throws -> Void) throws -> Job {
        try db.write { db in
            guard var job = try Self.job(db, id) else { throw ReservoirError.notFound("job", "no job \(id)") }
            let before = job
            try change(&job)
            job.state = before.state
            try Self.save(db, job)
            try Self.event(db, id, at: who.at, kind: action, message: "by \(who.actor)")
            try Self.audit(db, who, action: "job.\(action)", object: "jobs/\(id)", tenant: job.tenant, before: before, after: job)
            return job
        }
    }

    // MARK: - Reads

    public func job(_ id: JobID) throws -> Job? { try db.read { try Self.job($0, id) } }

    public func jobs(tenant: TenantID?, states: Set<JobState>?, since: Double?, limit: Int) throws -> [Job] {
        try jobs(JobListFilter(tenant: tenant, states: states, since: since), page: PageRequest(limit: limit)).items
    }

    public func countJobs(tenant: TenantID?, states: Set<JobState>?, since: Double?) throws -> Int {
        try countJobs(JobListFilter(tenant: tenant, states: states, since: since))
    }

    public func decisions(job: JobID) throws -> [DecisionRecord] {
        try db.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM decision WHERE job = ? ORDER BY id", arguments: [job.rawValue]).map { try Self.decode(DecisionRecord.self, $0) }
        }
    }

    public func events(job: JobID) throws -> [JobEvent] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job_event WHERE job = ? ORDER BY id", arguments: [job.rawValue]).map {
                JobEvent(at: $0["at"], kind: $0["kind"], message: $0["message"])
            }
        }
    }

    /// Milli-GPU booked per device, straight from the allocation table (for invariant checks and metrics).
    public func deviceBookings() throws -> [DeviceID: Int] {
        try db.read { db in
            var out: [DeviceID: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT device, SUM(milli) AS milli FROM allocation GROUP BY device") {
                out[DeviceID(row["device"])] = row["milli"]
            }
            return out
        }
    }

    // MARK: - Helpers

    /// Inserts a job under the next id (`job-000042`) and returns it with that id.
    static func insertNumbered(_ db: Database, _ job: Job) throws -> Job {
        let seq = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM job") ?? 1)
        var job = job
        let digits = String(seq)
        job.id = JobID("job-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits)
        try db.execute(
            sql: "INSERT INTO job (seq, id, tenant, pool, state, priority, submitted_at, body, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [seq, job.id.rawValue, job.tenant.rawValue, job.pool?.rawValue, job.state.rawValue, job.priority.rawValue, job.submittedAt, try json(job),
                        try nextChangeSeq(db)])
        return job
    }

    static func job(_ db: Database, _ id: JobID) throws -> Job? {
        try String.fetchOne(db, sql: "SELECT body FROM job WHERE id = ?", arguments: [id.rawValue]).map { try decode(Job.self, $0) }
    }

    static func save(_ db: Database, _ job: Job) throws {
        try db.execute(
            sql: "UPDATE job SET state = ?, priority = ?, pool = ?, exit_code = ?, body = ?, change_seq = ? WHERE id = ?",
            arguments: [job.state.rawValue, job.priority.rawValue, job.pool?.rawValue, job.exitCode, try json(job), try nextChangeSeq(db), job.id.rawValue])
    }

    static func event(_ db: Database, _ job: JobID, at: Double, kind: String, message: String) throws {
        try db.execute(sql: "INSERT INTO job_event (job, at, kind, message) VALUES (?, ?, ?, ?)", arguments: [job.rawValue, at, kind, message])
    }
}


extension SQLiteStore {
    /// Replaces a running job's placements and device allocations in one transaction (elastic
    /// resize): its usage segments close (`resized`) and reopen at the new size at the same instant.
    /// The schema still refuses any device booked past 1000 milli-GPU.
    @discardableResult
    public func resizeJob(_ id: JobID, replicas: Int, placements: [ReplicaPlacement], reason: String, by who: Attribution) throws -> Job {
        try db.write { db in
            guard var job = try Self.job(db, id), job.state.holdsDevices else {
                throw ReservoirError(.conflict, field: "state", "job \(id) holds no devices to resize")
            }
            let before = job
            job.replicas = replicas
            job.placements = placements
            try db.execute(sql: "DELETE FROM allocation WHERE job = ?", arguments: [id.rawValue])
            for p in placements {
                for index in p.deviceIndices {
                    try db.execute(
                        sql: "INSERT INTO allocation (job, replica, device, node, milli) VALUES (?, ?, ?, ?, ?)",
                        arguments: [id.rawValue, p.replica, Device.id(node: p.node, index: index).rawValue, p.node.rawValue, p.gpuMilli])
                }
            }
            try Self.save(db, job)
            try Self.closeUsage(db, id, at: who.at, by: .resized)
            try Self.openUsage(db, job, at: who.at)
            try Self.event(db, id, at: who.at, kind: "resized", message: "\(before.replicas) → \(replicas) replicas (\(reason))")
            try Self.audit(db, who, action: "job.resize", object: "jobs/\(id)", tenant: job.tenant, before: before, after: job)
            return job
        }
    }
}
