import GRDB
import ReservoirCore

/// The tenants and users `serve --demo` seeded: the demo's job stream acts only for them.
public struct DemoSeed: Sendable, Hashable {
    public var tenants: Set<TenantID>
    public var users: Set<UserID>
}

extension SQLiteStore {
    public func markDemo(tenants: [TenantID], users: [UserID]) throws {
        try db.write { db in
            for t in tenants { try db.execute(sql: "INSERT OR IGNORE INTO demo_seed (kind, id) VALUES ('tenant', ?)", arguments: [t.rawValue]) }
            for u in users { try db.execute(sql: "INSERT OR IGNORE INTO demo_seed (kind, id) VALUES ('user', ?)", arguments: [u.rawValue]) }
        }
    }

    public func demoSeed() throws -> DemoSeed {
        try db.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT kind, id FROM demo_seed")
            return DemoSeed(
                tenants: Set(rows.filter { $0["kind"] == "tenant" }.map { TenantID($0["id"]) }),
                users: Set(rows.filter { $0["kind"] == "user" }.map { UserID($0["id"]) }))
        }
    }

    /// Each job must be final with its start and finish times; `model` is the device model it ran on (for metering).
    public func insertHistory(_ jobs: [(job: Job, model: String)], by who: Attribution) throws {
        try db.write { db in
            for (job, model) in jobs {
                guard job.state.isFinal, let started = job.startedAt, let finished = job.finishedAt, finished >= started else {
                    throw ReservoirError.invalid("history", "job \(job.name) is not a finished run")
                }
                let stored = try Self.insertNumbered(db, job)
                try db.execute(
                    sql: """
                        INSERT INTO usage_session (job, tenant, pool, model, gpu_milli, devices, priority, preemptible, started_at, ended_at, closed_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [stored.id.rawValue, job.tenant.rawValue, job.pool?.rawValue, model, job.totalGPUMilli, job.replicas * max(1, job.request.gpus),
                                job.priority.rawValue, job.preemptible, started, finished, UsageCloseReason.ended.rawValue])
            }
            try Self.audit(db, who, action: "demo.history", object: "jobs", before: Nothing?.none, after: ["jobs": jobs.count])
        }
    }
}
