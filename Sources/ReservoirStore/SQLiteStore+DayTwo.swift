import GRDB
import ReservoirCore

/// Retiring tenants, users and quotas. Each check and change is one transaction, so no job can slip
/// in between "nothing is running" and the delete.
extension SQLiteStore {
    static let unfinished = "state NOT IN ('succeeded', 'failed', 'cancelled')"

    @discardableResult
    public func setTenantDisabled(_ id: TenantID, _ disabled: Bool, by who: Attribution) throws -> Tenant {
        try db.write { db in
            guard let body = try String.fetchOne(db, sql: "SELECT body FROM tenant WHERE id = ?", arguments: [id.rawValue]) else {
                throw ReservoirError.notFound("tenant", "no tenant \(id)")
            }
            let before = try Self.decode(Tenant.self, body)
            var tenant = before
            tenant.disabled = disabled ? true : nil
            try db.execute(sql: "UPDATE tenant SET body = ? WHERE id = ?", arguments: [try Self.json(tenant), id.rawValue])
            try Self.audit(db, who, action: disabled ? "tenant.disable" : "tenant.enable", object: "tenants/\(id)", tenant: id, before: before, after: tenant)
            return tenant
        }
    }

    public func deleteTenant(_ id: TenantID, by who: Attribution) throws {
        try db.write { db in
            guard let body = try String.fetchOne(db, sql: "SELECT body FROM tenant WHERE id = ?", arguments: [id.rawValue]) else {
                throw ReservoirError.notFound("tenant", "no tenant \(id)")
            }
            let open = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE tenant = ? AND \(Self.unfinished)", arguments: [id.rawValue]) ?? 0
            guard open == 0 else {
                throw ReservoirError(.conflict, field: "id", "tenant \(id) has \(open) unfinished jobs; cancel them (reservoir jobs cancel --tenant \(id)) or let them finish, then delete")
            }
            let finished = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE tenant = ?", arguments: [id.rawValue]) ?? 0
            guard finished == 0 else {
                throw ReservoirError(.conflict, field: "id", "tenant \(id) has \(finished) finished jobs kept for usage and billing; disable it instead")
            }
            try db.execute(sql: "DELETE FROM user WHERE tenant = ?", arguments: [id.rawValue])
            try db.execute(sql: "DELETE FROM quota WHERE tenant = ?", arguments: [id.rawValue])
            try db.execute(sql: "DELETE FROM tenant WHERE id = ?", arguments: [id.rawValue])
            try Self.audit(db, who, action: "tenant.delete", object: "tenants/\(id)", tenant: id, before: try Self.decode(Tenant.self, body), after: Nothing?.none)
        }
    }

    @discardableResult
    public func setUserDisabled(_ id: UserID, _ disabled: Bool, by who: Attribution) throws -> User {
        try db.write { db in
            let before = try Self.user(db, id)
            var user = before
            user.disabled = disabled ? true : nil
            try db.execute(sql: "UPDATE user SET body = ? WHERE id = ?", arguments: [try Self.json(user), id.rawValue])
            try Self.audit(db, who, action: disabled ? "user.disable" : "user.enable", object: "users/\(id)", tenant: user.tenant, before: before, after: user)
            return user
        }
    }

    public func deleteUser(_ id: UserID, by who: Attribution) throws {
        try db.write { db in
            let user = try Self.user(db, id)
            let open = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM job WHERE json_extract(body, '$.submittedBy') = ? AND \(Self.unfinished)", arguments: [id.rawValue]) ?? 0
            guard open == 0 else {
                throw ReservoirError(.conflict, field: "id", "user \(id) has \(open) unfinished jobs; cancel them or let them finish, or disable the user instead")
            }
            try db.execute(sql: "DELETE FROM user WHERE id = ?", arguments: [id.rawValue])
            try Self.audit(db, who, action: "user.delete", object: "users/\(id)", tenant: user.tenant, before: user, after: Nothing?.none)
        }
    }

    public func deleteQuota(tenant: TenantID, pool: PoolID, model: String, by who: Attribution) throws {
        try db.write { db in
            guard let quota = try Self.quota(db, tenant, pool, model) else {
                throw ReservoirError.notFound("quota", "no quota of \(tenant) in \(pool) for \(model)")
            }
            let open = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM job WHERE tenant = ? AND json_extract(body, '$.pool') = ? AND \(Self.unfinished)",
                arguments: [tenant.rawValue, pool.rawValue]) ?? 0
            guard open == 0 else {
                throw ReservoirError(.conflict, field: "pool", "tenant \(tenant) has \(open) unfinished jobs in \(pool); cancel them or let them finish, then delete the quota")
            }
            try db.execute(sql: "DELETE FROM quota WHERE tenant = ? AND pool = ? AND model = ?", arguments: [tenant.rawValue, pool.rawValue, model])
            try Self.audit(db, who, action: "quota.delete", object: "quotas/\(tenant)/\(pool)/\(model)", tenant: tenant, before: quota, after: Nothing?.none)
        }
    }

    static func user(_ db: Database, _ id: UserID) throws -> User {
        guard let body = try String.fetchOne(db, sql: "SELECT body FROM user WHERE id = ?", arguments: [id.rawValue]) else {
            throw ReservoirError.notFound("user", "no user \(id)")
        }
        return try decode(User.self, body)
    }
}
