import Foundation
import GRDB
import ReservoirCore

/// The SQLite store: one type owns the database; each use case is one `write {}` transaction that
/// also appends to the audit log, so a change and its audit entry commit together or not at all.
public final class SQLiteStore: Store, Sendable {
    /// A `DatabasePool` for a file: WAL mode, one writer and concurrent readers, so a long read (a
    /// report, a forecast, a page of a big list) never stalls a submission or the scheduling cycle,
    /// and a write never waits for a reader. Each read sees a committed snapshot. In memory (tests) a
    /// `DatabaseQueue`, which serializes everything. Reads go through `read`, writes through `write`.
    let db: any DatabaseWriter
    /// The durable writes that are acknowledged to a waiting client (submissions, engine events):
    /// batched into shared transactions, one fsync for all that arrived meanwhile (`GroupCommit`).
    let commits: GroupCommit

    /// Opens (or creates) the database at `path` and migrates it. `nil` opens an in-memory database.
    public convenience init(path: String?) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        // Readers are cheap (a connection each); list routes, submissions' lookups and the scheduler
        // read at once, and GRDB's default of 5 made the sixth wait for a free connection.
        configuration.maximumReaderCount = 16
        if let path {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // The pool turns WAL on and sets `synchronous = NORMAL` on its one writer connection AFTER
            // `prepareDatabase` has run (GRDB's setUpWALMode), so a pragma set there would be undone.
            // The writer is opened once and never reopened, so this holds for the pool's life; a
            // submission is acknowledged only once durable (GroupCommitTests pins it).
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            try self.init(writer: pool)
        } else {
            try self.init(writer: DatabaseQueue(configuration: configuration))
        }
    }

    /// A store over an opened database (tests compare a pool with a queue on the same workload;
    /// `beforeCommit` is `GroupCommit`'s test hook).
    init(writer: any DatabaseWriter, beforeCommit: (@Sendable (Database, Int) -> Void)? = nil) throws {
        db = writer
        commits = GroupCommit(writer: writer, beforeCommit: beforeCommit)
        try Migrations.migrator.migrate(db)
    }

    // MARK: - JSON helpers

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    // MARK: - Caches

    /// Decoded inventory, catalog, tenants, quotas, active grants (keyed on their tables' generation) and jobs (by change stamp).
    let caches = StoreCaches()

    // MARK: - Audit

    /// Appends an audit entry inside the caller's transaction; a change keeps only the fields that changed (`AuditDiff`).
    static func audit<B: Encodable, A: Encodable>(
        _ db: Database, _ who: Attribution, action: String, object: String, tenant: TenantID? = nil, before: B?, after: A?
    ) throws {
        var old = try before.map(json)
        var new = try after.map(json)
        if let o = old, let n = new, let changed = AuditDiff.changes(before: Data(o.utf8), after: Data(n.utf8)) {
            (old, new) = changed
        }
        try db.execute(
            sql: "INSERT INTO audit (at, actor, action, object, tenant, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [who.at, who.actor, action, object, tenant?.rawValue, old, new]
        )
    }

    public func instanceID() throws -> String {
        try db.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'instance'") } ?? "unknown"
    }

    public func recordAudit<Detail: Encodable>(action: String, object: String, tenant: TenantID?, detail: Detail, by who: Attribution) throws {
        try db.write { db in try Self.audit(db, who, action: action, object: object, tenant: tenant, before: String?.none, after: detail) }
    }

    public func auditEntries(object: String?, tenant: TenantID?, since: Double?, limit: Int) throws -> [AuditEntry] {
        try auditEntries(AuditListFilter(object: object, tenant: tenant, since: since), page: PageRequest(limit: limit)).items
    }
}


extension AuditEntry {
    init(row: Row) {
        self.init(
            id: row["id"], at: row["at"], actor: row["actor"], action: row["action"], object: row["object"], tenant: row["tenant"],
            before: row["before"], after: row["after"])
    }
}

/// A nil of any encodable type, for audit entries without a before or after.
struct Nothing: Encodable {}
