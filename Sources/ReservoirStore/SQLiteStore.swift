import Foundation
import GRDB
import ReservoirCore


/// The SQLite store: one type owns the database; each use case is one `write {}` transaction that
/// also appends to the audit log, so a change and its audit entry commit together or not at all.
public final class SQLiteStore: Store, Sendable {
    let db: DatabaseQueue

    /// Opens (or creates) the database at `path` and migrates it. `nil` opens an in-memory database.
    public init(path: String?) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        if let path {
            db = try DatabaseQueue(path: path, configuration: configuration)
            try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL") }
        } else {
            db = try DatabaseQueue(configuration: configuration)
        }
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
        try db.read { db in
            var sql = "SELECT * FROM audit"
            var clauses: [String] = []
            var args: [any DatabaseValueConvertible] = []
            if let object { clauses.append("(object = ? OR object LIKE ?)"); args.append(object); args.append(object + "/%") }
            if let tenant { clauses.append("tenant = ?"); args.append(tenant.rawValue) }
            if let since { clauses.append("at >= ?"); args.append(since) }
            if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
            sql += " ORDER BY id DESC LIMIT ?"
            args.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(AuditEntry.init(row:))
        }
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
