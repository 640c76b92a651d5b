import GRDB
import ReservoirCore

extension SQLiteStore {
    // MARK: - Writes (inside the transactions that allocate, resize and free devices)

    /// Opens the job's usage segments at `at`, inside the transaction that allocates its devices: one per
    /// (device model, pool) of its placements (a job across two models has two), each with the milli-GPU of
    /// all its replicas on them (whole GPUs 1000, shares and MIG instances their placement's milli). The
    /// start is the admission, not the engine's start: from then on the devices are held for the job and
    /// nobody else can use them. CPU-only work opens none.
    static func openUsage(_ db: Database, _ job: Job, at: Double) throws {
        let segments = try usageSegments(db, job.placements)
        guard !segments.isEmpty else { return }
        let project = try job.project ?? job.grant.flatMap { try grant(db, $0) }.flatMap { try request(db, $0.request) }?.form.project
        for segment in segments {
            try db.execute(
                sql: """
                    INSERT INTO usage_session (job, tenant, project, service, grant_id, pool, model, gpu_milli, devices, mig_profile, priority, preemptible, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [job.id.rawValue, job.tenant.rawValue, project, job.service?.rawValue, job.grant?.rawValue, segment.pool.rawValue,
                            segment.model, segment.gpuMilli, segment.devices, job.request.migProfile, job.priority.rawValue, job.preemptible, at])
        }
    }

    /// Closes the job's open segments at `at` (never before their start), inside the transaction that frees
    /// or resizes its devices. A job with none open (already closed, CPU-only) changes nothing, so a
    /// repeated close cannot count anything twice.
    static func closeUsage(_ db: Database, _ job: JobID, at: Double, by reason: UsageCloseReason) throws {
        try db.execute(
            sql: "UPDATE usage_session SET ended_at = MAX(started_at, ?), closed_by = ? WHERE job = ? AND ended_at IS NULL",
            arguments: [at, reason.rawValue, job.rawValue])
    }

    /// Why a state change that frees a job's devices closes its segments: the reconciler's repairs from the
    /// engine's records are `reconciled`, a requeue `preempted`, any final state `ended`.
    static func closeReason(to state: JobState, by who: Attribution) -> UsageCloseReason {
        if who.actor == Attribution.reconciler { return .reconciled }
        return state == .preempted ? .preempted : .ended
    }

    /// The placements' devices grouped by (model, pool) — the model of each device, the pool of its node.
    private static func usageSegments(_ db: Database, _ placements: [ReplicaPlacement]) throws -> [(model: String, pool: PoolID, gpuMilli: Int, devices: Int)] {
        var nodes: [NodeID: Node] = [:]
        var milli: [UsageSegmentKey: Int] = [:]
        var devices: [UsageSegmentKey: Set<DeviceID>] = [:]
        for p in placements where p.gpuMilli > 0 {
            if nodes[p.node] == nil {
                nodes[p.node] = try String.fetchOne(db, sql: "SELECT body FROM node WHERE id = ?", arguments: [p.node.rawValue]).map { try decode(Node.self, $0) }
            }
            guard let node = nodes[p.node] else { continue }
            for index in p.deviceIndices {
                let key = UsageSegmentKey(model: node.devices.first(where: { $0.index == index })?.model ?? node.gpuModel ?? "", pool: node.pool)
                milli[key, default: 0] += p.gpuMilli
                devices[key, default: []].insert(Device.id(node: p.node, index: index))
            }
        }
        return milli.keys.sorted { ($0.model, $0.pool.rawValue) < ($1.model, $1.pool.rawValue) }.map {
            ($0.model, $0.pool, milli[$0]!, devices[$0]!.count)
        }
    }

    private struct UsageSegmentKey: Hashable {
        var model: String
        var pool: PoolID
    }

    // MARK: - Reads

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

    /// GPU-seconds per tenant, project and model inside `[since, until)`, in that order: a usage report's
    /// lines without reading its sessions.
    public func usageTotals(tenant: TenantID?, since: Double, until: Double, openOnly: Bool, now: Double) throws -> [UsageTotal] {
        var query = Conditions()
        Self.usageOverlap(&query, since: since, until: until)
        if let tenant { query.add("tenant = ?", tenant.rawValue) }
        if openOnly { query.add("ended_at IS NULL") }
        return try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT tenant, project, model,
                    SUM(gpu_milli / 1000.0 * MAX(0, MIN(COALESCE(ended_at, ?), ?) - MAX(started_at, ?))) AS gpu_seconds
                FROM usage_session\(query.whereClause)
                GROUP BY tenant, project, model ORDER BY tenant, project, model
                """, arguments: StatementArguments([now, until, since] + query.arguments))
            .map { UsageTotal(tenant: TenantID($0["tenant"]), project: $0["project"], model: $0["model"], gpuSeconds: $0["gpu_seconds"]) }
        }
    }

    public func openUsageSessions() throws -> [UsageSession] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM usage_session WHERE ended_at IS NULL ORDER BY id").map(Self.usageSession(row:))
        }
    }
}
