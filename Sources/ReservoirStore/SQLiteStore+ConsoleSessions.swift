import GRDB
import ReservoirCore

extension SQLiteStore {
    public func createConsoleSession(_ session: ConsoleSession, by who: Attribution) throws {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO console_session (id_hash, token, user, csrf, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [session.idHash, session.token.rawValue, session.user.rawValue, session.csrf, session.createdAt, session.lastSeenAt])
            let tenant = try String.fetchOne(db, sql: "SELECT tenant FROM user WHERE id = ?", arguments: [session.user.rawValue]).map { TenantID($0) }
            try Self.audit(
                db, who, action: "console.sign-in", object: "users/\(session.user)", tenant: tenant, before: Nothing?.none,
                after: ConsoleSessionAudit(token: session.token.rawValue, reason: nil))
        }
    }

    public func consoleSession(idHash: String) throws -> ConsoleSession? {
        try db.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM console_session WHERE id_hash = ?", arguments: [idHash]).map { row in
                ConsoleSession(
                    idHash: row["id_hash"], token: TokenID(row["token"] as String), user: UserID(row["user"] as String), csrf: row["csrf"],
                    createdAt: row["created_at"], lastSeenAt: row["last_seen_at"])
            }
        }
    }

    public func touchConsoleSession(idHash: String, at: Double) throws {
        try db.write { db in try db.execute(sql: "UPDATE console_session SET last_seen_at = ? WHERE id_hash = ?", arguments: [at, idHash]) }
    }

    public func endConsoleSession(idHash: String, reason: String?, by who: Attribution) throws {
        try db.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT token, user FROM console_session WHERE id_hash = ?", arguments: [idHash]) else { return }
            try db.execute(sql: "DELETE FROM console_session WHERE id_hash = ?", arguments: [idHash])
            let user: String = row["user"]
            let tenant = try String.fetchOne(db, sql: "SELECT tenant FROM user WHERE id = ?", arguments: [user]).map { TenantID($0) }
            try Self.audit(
                db, who, action: "console.sign-out", object: "users/\(user)", tenant: tenant, before: Nothing?.none,
                after: ConsoleSessionAudit(token: row["token"], reason: reason))
        }
    }
}

/// The audit detail of a sign-in or sign-out: the token used (its id, never the secret) and why a session ended.
private struct ConsoleSessionAudit: Encodable {
    var token: String
    var reason: String?
}
