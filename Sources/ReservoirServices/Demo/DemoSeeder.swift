import ReservoirCore
import ReservoirStore

/// The logins `serve --demo` prints.
public struct DemoLogin: Sendable {
    public var user: String
    public var roles: String
    public var token: String
}

extension Reservoir {
    /// Seeds the demo reservoir once (a second start on the same data directory keeps what is there)
    /// and returns a fresh token for each demo user.
    public func seedDemo(by principal: Principal) throws -> [DemoLogin] {
        if try store.inventory().nodes.isEmpty {
            _ = try importDescription(yaml: DemoReservoir.description, by: principal)
            for t in DemoReservoir.tenants {
                _ = try createTenant(Tenant(id: TenantID(t.id), weight: t.weight), by: principal)
                for q in t.quotas {
                    _ = try setQuota(Quota(tenant: TenantID(t.id), pool: PoolID(q.pool), guaranteedMilli: q.guaranteed * 1000, limitMilli: q.limit * 1000), by: principal)
                }
                _ = try createUser(User(id: UserID("\(t.id)-member"), tenant: TenantID(t.id), roles: [.member]), by: principal)
            }
            _ = try createUser(User(id: "finance", roles: [.finance]), by: principal)
            _ = try createUser(User(id: "approver", roles: [.approver]), by: principal)
            _ = try createUser(User(id: "emergency", roles: [.emergencyApprover]), by: principal)
        }
        var logins: [DemoLogin] = []
        for user in try store.users(tenant: nil) where user.id != "admin" {
            let (_, secret) = try issueToken(for: user.id, by: principal)
            logins.append(DemoLogin(user: user.id.rawValue, roles: user.roles.map(\.rawValue).sorted().joined(separator: ","), token: secret))
        }
        return logins
    }
}
