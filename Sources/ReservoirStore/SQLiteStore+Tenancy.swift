import Foundation
import GRDB
import ReservoirCore

extension SQLiteStore {
    // MARK: - Tenants

    public func createTenant(_ tenant: Tenant, idempotency: IdempotencyKey?, by who: Attribution) throws {
        try db.write { db in
            try Self.remember(db, idempotency, object: "tenants/\(tenant.id)", at: who.at)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tenant WHERE id = ?", arguments: [tenant.id.rawValue]) == nil else {
                throw ReservoirError(.alreadyExists, field: "id", "tenant \(tenant.id) already exists")
            }
            try db.execute(sql: "INSERT INTO tenant (id, body) VALUES (?, ?)", arguments: [tenant.id.rawValue, try Self.json(tenant)])
            try Self.audit(db, who, action: "tenant.create", object: "tenants/\(tenant.id)", tenant: tenant.id, before: Nothing?.none, after: tenant)
        }
    }

    /// Every tenant, decoded once per change of the tenant table (memoised: read by every submission and cycle).
    public func tenants() throws -> [Tenant] {
        try memoised(caches.tenants, tables: ["tenant"], Self.readTenants)
    }

    static func readTenants(_ db: Database) throws -> [Tenant] {
        try String.fetchAll(db, sql: "SELECT body FROM tenant ORDER BY id").map { try Self.decode(Tenant.self, $0) }
    }

    // MARK: - Users and tokens

    public func createUser(_ user: User, idempotency: IdempotencyKey?, by who: Attribution) throws {
        try db.write { db in
            try Self.remember(db, idempotency, object: "users/\(user.id)", at: who.at)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE id = ?", arguments: [user.id.rawValue]) == nil else {
                throw ReservoirError(.alreadyExists, field: "id", "user \(user.id) already exists")
            }
            if let tenant = user.tenant,
               try Bool.fetchOne(db, sql: "SELECT 1 FROM tenant WHERE id = ?", arguments: [tenant.rawValue]) == nil {
                throw ReservoirError.notFound("tenant", "no tenant \(tenant)")
            }
            try db.execute(
                sql: "INSERT INTO user (id, tenant, body) VALUES (?, ?, ?)",
                arguments: [user.id.rawValue, user.tenant?.rawValue, try Self.json(user)])
            try Self.audit(db, who, action: "user.create", object: "users/\(user.id)", tenant: user.tenant, before: Nothing?.none, after: user)
        }
    }

    public func users(tenant: TenantID?) throws -> [User] {
        try db.read { db in
            let rows: [String]
            if let tenant {
                rows = try String.fetchAll(db, sql: "SELECT body FROM user WHERE tenant = ? ORDER BY id", arguments: [tenant.rawValue])
            } else {
                rows = try String.fetchAll(db, sql: "SELECT body FROM user ORDER BY id")
            }
            return try rows.map { try Self.decode(User.self, $0) }
        }
    }

    /// Stores a token by its hash only; the secret itself is never written.
    public func createToken(id: TokenID, user: UserID, hash: String, expiresAt: Double?, by who: Attribution) throws {
        try db.write { db in
            guard let body = try String.fetchOne(db, sql: "SELECT body FROM user WHERE id = ?", arguments: [user.rawValue]) else {
                throw ReservoirError.notFound("user", "no user \(user)")
            }
            let owner = try Self.decode(User.self, body)
            try db.execute(
                sql: "INSERT INTO token (id, user, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [id.rawValue, user.rawValue, hash, who.at, expiresAt])
            let info = TokenInfo(id: id, user: user, createdAt: who.at, expiresAt: expiresAt, lastUsedAt: nil, revoked: false)
            try Self.audit(db, who, action: "token.create", object: "tokens/\(id)", tenant: owner.tenant, before: Nothing?.none, after: info)
        }
    }

    public func tokens(user: UserID?) throws -> [TokenInfo] {
        try db.read { db in
            let sql = "SELECT * FROM token" + (user == nil ? "" : " WHERE user = ?") + " ORDER BY created_at"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(user.map { [$0.rawValue] } ?? [])).map(TokenInfo.init(row:))
        }
    }

    public func revokeToken(_ id: TokenID, by who: Attribution) throws {
        try db.write { db in
            try db.execute(sql: "UPDATE token SET revoked = 1 WHERE id = ?", arguments: [id.rawValue])
            guard db.changesCount == 1 else { throw ReservoirError.notFound("token", "no token \(id)") }
            try Self.audit(db, who, action: "token.revoke", object: "tokens/\(id)", before: Nothing?.none, after: Nothing?.none)
        }
    }

    /// The token with this hash and its user, whatever their state: the caller decides what is refused and says why.
    public func credential(forTokenHash hash: String) throws -> Credential? {
        try db.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT token.*, user.body AS user_body FROM token JOIN user ON user.id = token.user WHERE token.hash = ?
                """, arguments: [hash]) else { return nil }
            return Credential(token: TokenInfo(row: row), user: try Self.decode(User.self, row["user_body"]))
        }
    }

    public func credential(forTokenID id: TokenID) throws -> Credential? {
        try db.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT token.*, user.body AS user_body FROM token JOIN user ON user.id = token.user WHERE token.id = ?
                """, arguments: [id.rawValue]) else { return nil }
            return Credential(token: TokenInfo(row: row), user: try Self.decode(User.self, row["user_body"]))
        }
    }

    /// Records when a token was last used. Not audited: it is bookkeeping, not a change anyone made.
    public func touchToken(_ id: TokenID, at: Double) throws {
        try db.write { db in try db.execute(sql: "UPDATE token SET last_used_at = ? WHERE id = ?", arguments: [at, id.rawValue]) }
    }

    // MARK: - Quotas

    /// Sets (creates or replaces) one quota; pool and tenant must exist.
    public func setQuota(_ quota: Quota, by who: Attribution) throws {
        try db.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tenant WHERE id = ?", arguments: [quota.tenant.rawValue]) != nil else {
                throw ReservoirError.notFound("tenant", "no tenant \(quota.tenant)")
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM pool WHERE id = ?", arguments: [quota.pool.rawValue]) != nil else {
                throw ReservoirError.notFound("pool", "no pool \(quota.pool)")
            }
            let before = try Self.quota(db, quota.tenant, quota.pool, quota.model)
            try db.execute(sql: """
                INSERT INTO quota (tenant, pool, model, guaranteed_milli, limit_milli) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(tenant, pool, model) DO UPDATE SET guaranteed_milli = excluded.guaranteed_milli, limit_milli = excluded.limit_milli
                """, arguments: [quota.tenant.rawValue, quota.pool.rawValue, quota.model, quota.guaranteedMilli, quota.limitMilli])
            try Self.audit(db, who, action: "quota.set", object: "quotas/\(quota.tenant)/\(quota.pool)/\(quota.model)", tenant: quota.tenant, before: before, after: quota)
        }
    }

    /// Quotas, of one tenant or all, from all quotas read once per change of the quota table (memoised).
    public func quotas(tenant: TenantID?) throws -> [Quota] {
        let all = try memoised(caches.quotas, tables: ["quota"], Self.readQuotas)
        guard let tenant else { return all }
        return all.filter { $0.tenant == tenant }
    }

    static func readQuotas(_ db: Database) throws -> [Quota] {
        try Row.fetchAll(db, sql: "SELECT * FROM quota ORDER BY tenant, pool, model").map(Self.quota(row:))
    }

    /// Read from the audit log: `quota.set` with no before is a creation (after is the whole quota),
    /// with a before it is the changed fields only (no `guaranteedMilli`: the guaranteed amount did not
    /// change, so the entry is left out); `quota.delete` holds the whole quota as before.
    public func quotaHistory(tenant: TenantID) throws -> QuotaHistory {
        try db.read { db in
            let created = try Double.fetchOne(
                db, sql: "SELECT MIN(at) FROM audit WHERE action = 'tenant.create' AND object = ?", arguments: ["tenants/\(tenant)"])
            let prefix = "quotas/\(tenant)/"
            let rows = try Row.fetchAll(db, sql: """
                SELECT at, action, object, before, after FROM audit
                WHERE object >= ? AND object < ? AND action IN ('quota.set', 'quota.delete') ORDER BY at, id
                """, arguments: [prefix, "quotas/\(tenant)0"])  // the objects under `prefix` ('0' follows '/'), by the object index
            var changes: [QuotaHistory.Change] = []
            for row in rows {
                let object: String = row["object"]
                guard object.hasPrefix(prefix) else { continue }
                let key = object.dropFirst(prefix.count)
                guard let slash = key.firstIndex(of: "/") else { continue }
                let before = Self.guaranteed(row["before"]), after = Self.guaranteed(row["after"])
                let action: String = row["action"]
                let change: (Int?, Int?)
                switch action {
                case "quota.delete":
                    guard let was = before.value else { continue }
                    change = (was, nil)
                default:
                    if !before.present {
                        guard let now = after.value else { continue }
                        change = (nil, now)  // created
                    } else {
                        guard let was = before.value, let now = after.value, was != now else { continue }  // guaranteed unchanged
                        change = (was, now)
                    }
                }
                changes.append(QuotaHistory.Change(
                    at: row["at"], pool: PoolID(String(key[..<slash])), model: String(key[key.index(after: slash)...]),
                    guaranteedBefore: change.0, guaranteedAfter: change.1))
            }
            return QuotaHistory(tenantCreatedAt: created, changes: changes)
        }
    }

    /// An audit side's `guaranteedMilli`: whether the side is there at all (not NULL) and the amount if it holds one.
    private static func guaranteed(_ json: String?) -> (present: Bool, value: Int?) {
        guard let json else { return (false, nil) }
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
        return (true, (object?["guaranteedMilli"] as? NSNumber)?.intValue)
    }

    static func quota(_ db: Database, _ tenant: TenantID, _ pool: PoolID, _ model: String) throws -> Quota? {
        try Row.fetchOne(db, sql: "SELECT * FROM quota WHERE tenant = ? AND pool = ? AND model = ?", arguments: [tenant.rawValue, pool.rawValue, model]).map(quota(row:))
    }

    static func quota(row: Row) -> Quota {
        Quota(tenant: TenantID(row["tenant"]), pool: PoolID(row["pool"]), model: row["model"], guaranteedMilli: row["guaranteed_milli"], limitMilli: row["limit_milli"])
    }
}


extension TokenInfo {
    init(row: Row) {
        self.init(
            id: TokenID(row["id"]), user: UserID(row["user"]), createdAt: row["created_at"], expiresAt: row["expires_at"],
            lastUsedAt: row["last_used_at"], revoked: row["revoked"])
    }
}

/// A presented token and the user it belongs to.
public struct Credential: Sendable {
    public var token: TokenInfo
    public var user: User
}
