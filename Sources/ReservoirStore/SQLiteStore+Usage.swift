import GRDB
import ReservoirCore

extension SQLiteStore {
    /// Records a run of a job from `start` to `end`, inside the transaction that ends it.
    static func recordUsage(_ db: Database, _ job: Job, from start: Double, to end: Double) throws {
        let devices = job.placements.reduce(0) { $0 + $1.deviceIndices.count }
        guard devices > 0 else { return }
        let model = try job.placements.first.flatMap { p in
            try String.fetchOne(db, sql: "SELECT body FROM node WHERE id = ?", arguments: [p.node.rawValue])
        }.map { try decode(Node.self, $0).gpuModel ?? "" } ?? ""
        let milli = job.placements.reduce(0) { $0 + $1.gpuMilli * $1.deviceIndices.count }
        try db.execute(
            sql: "INSERT INTO usage_session (job, tenant, pool, model, gpu_milli, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [job.id.rawValue, job.tenant.rawValue, job.pool?.rawValue, model, milli, start, end])
    }

    /// Usage sessions that ended in `[since, until)`, optionally of one tenant.
    public func usageSessions(tenant: TenantID?, since: Double, until: Double) throws -> [UsageSession] {
        try db.read { db in
            var sql = "SELECT * FROM usage_session WHERE ended_at >= ? AND ended_at < ?"
            var args: [any DatabaseValueConvertible] = [since, until]
            if let tenant { sql += " AND tenant = ?"; args.append(tenant.rawValue) }
            return try Row.fetchAll(db, sql: sql + " ORDER BY id", arguments: StatementArguments(args)).map(Self.usageSession(row:))
        }
    }

    static func usageSession(row: Row) -> UsageSession {
        UsageSession(
            job: JobID(row["job"]), tenant: TenantID(row["tenant"]), pool: (row["pool"] as String?).map { PoolID($0) },
            model: row["model"], gpuMilli: row["gpu_milli"], startedAt: row["started_at"], endedAt: row["ended_at"])
    }

    /// GPU-seconds per tenant and model of the sessions that ended in `[since, until)`, by tenant then model:
    /// a usage report's lines without reading its sessions.
    public func usageTotals(tenant: TenantID?, since: Double, until: Double) throws -> [UsageTotal] {
        var query = Conditions()
        query.add("ended_at >= ? AND ended_at < ?", since, until)
        if let tenant { query.add("tenant = ?", tenant.rawValue) }
        return try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT tenant, model, SUM(gpu_milli / 1000.0 * (ended_at - started_at)) AS gpu_seconds FROM usage_session\(query.whereClause)
                GROUP BY tenant, model ORDER BY tenant, model
                """, arguments: StatementArguments(query.arguments))
            .map { UsageTotal(tenant: TenantID($0["tenant"]), model: $0["model"], gpuSeconds: $0["gpu_seconds"]) }
        }
    }
}
