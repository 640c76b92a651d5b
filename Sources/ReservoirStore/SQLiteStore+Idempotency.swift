import GRDB
import ReservoirCore

/// A client's `Idempotency-Key` for one creating request: a retry with the same key from the same
/// caller gets the object the first request created instead of a second one.
public struct IdempotencyKey: Sendable, Hashable {
    public var actor: String
    public var key: String
    /// A digest of what was asked (route and decoded body): the same key with a different request is refused.
    public var fingerprint: String

    public init(actor: String, key: String, fingerprint: String) {
        self.actor = actor
        self.key = key
        self.fingerprint = fingerprint
    }
}

/// What an earlier request with a key created: `jobs/job-000042`, `tenants/acme`, `users/alice`.
public struct IdempotentResult: Sendable, Hashable {
    public var fingerprint: String
    public var object: String
}

extension SQLiteStore {
    public func idempotentResult(actor: String, key: String) throws -> IdempotentResult? {
        try db.read { db in
            try Row.fetchOne(db, sql: "SELECT fingerprint, object FROM idempotency_key WHERE actor = ? AND key = ?", arguments: [actor, key])
                .map { IdempotentResult(fingerprint: $0["fingerprint"], object: $0["object"]) }
        }
    }

    /// Stores the key with the object inside the creating transaction. Writes are serialized, so a key
    /// already present here was stored by a concurrent request since the caller looked: it retries.
    static func remember(_ db: Database, _ key: IdempotencyKey?, object: String, at: Double) throws {
        guard let key else { return }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM idempotency_key WHERE actor = ? AND key = ?", arguments: [key.actor, key.key]) == nil else {
            throw ReservoirError(.conflict, field: "Idempotency-Key", "a request with this key is being processed; retry it")
        }
        try db.execute(
            sql: "INSERT INTO idempotency_key (actor, key, fingerprint, object, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [key.actor, key.key, key.fingerprint, object, at])
    }
}
