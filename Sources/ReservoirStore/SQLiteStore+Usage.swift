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
            sql: """
                INSERT INTO usage_session (job, tenant, service, grant_id, pool, model, gpu_milli, devices, mig_profile, priority, preemptible, started_at, ended_at, closed_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [job.id.rawValue, job.tenant.rawValue, job.service?.rawValue, job.grant?.rawValue, job.pool?.rawValue, model, milli, devices,
                        job.request.migProfile, job.priority.rawValue, job.preemptible, start, end, UsageCloseReason.ended.rawValue])
    }

    /// The SQL condition of "overlaps `[since, until)`".
    static func usageOverlap(_ query: inout Conditions, since: Double, until: Double) {
        query.add("started_at < ? AND (ended_at IS NULL OR ended_at > ? OR (ended_at = started_at AND started_at >= ?))", until, since, since)
    }

    public func usageSessions(tenant: TenantID?, since: Double, until: Double) throws -> [UsageSession] {
        var query = Conditions()
        Self.usageOverlap(&query, since: since, until: until)
        if let tenant { query.add("tenant = ?", tenant.rawValue) }
        return try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM usage_session\(query.whereClause) ORDER BY id", arguments: StatementArguments(query.arguments))
                .map(Self.usageSession(row:))
        }
    }

    static func usageSession(row: Row) -> UsageSession {
        UsageSession(
            id: row["id"], job: JobID(row["job"]), tenant: TenantID(row["tenant"]), project: row["project"],
            service: (row["service"] as String?).map { ServiceID($0) }, grant: (row["grant_id"] as String?).map { GrantID($0) },
            pool: (row["pool"] as String?).map { PoolID($0) }, model: row["model"], gpuMilli: row["gpu_milli"], devices: row["devices"],
            migProfile: row["mig_profile"], priority: PriorityClass(rawValue: row["priority"]) ?? .p2, preemptible: row["preemptible"],
            startedAt: row["started_at"], endedAt: row["ended_at"], closedBy: (row["closed_by"] as String?).flatMap(UsageCloseReason.init(rawValue:)))
    }

    /// GPU-seconds per tenant and model inside `[since, until)`, by tenant then model: a usage report's
    /// lines without reading its sessions.
    public func usageTotals(tenant: TenantID?, since: Double, until: Double, now: Double) throws -> [UsageTotal] {
        var query = Conditions()
        Self.usageOverlap(&query, since: since, until: until)
        if let tenant { query.add("tenant = ?", tenant.rawValue) }
        return try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT tenant, model,
                    SUM(gpu_milli / 1000.0 * MAX(0, MIN(COALESCE(ended_at, ?), ?) - MAX(started_at, ?))) AS gpu_seconds
                FROM usage_session\(query.whereClause)
                GROUP BY tenant, model ORDER BY tenant, model
                """, arguments: StatementArguments([now, until, since] + query.arguments))
            .map { UsageTotal(tenant: TenantID($0["tenant"]), model: $0["model"], gpuSeconds: $0["gpu_seconds"]) }
        }
    }
}
