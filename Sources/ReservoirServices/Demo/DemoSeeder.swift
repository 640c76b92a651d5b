import ReservoirCore
import ReservoirStore

/// A login `serve --demo` prints: only for tokens it created on this start.
public struct DemoLogin: Sendable {
    public var user: String
    public var roles: String
    public var token: String
}

extension Reservoir {
    /// Seeds the demo reservoir on a fresh database: inventory, tenants with quotas, one user per role,
    /// four weeks of job history (so planning answers on day one), and one token per demo user, whose
    /// secrets are returned to be printed once. On a database that already has an inventory it
    /// creates nothing and returns no logins: tokens are never minted again behind the operator's back.
    public func seedDemo(by principal: Principal) throws -> [DemoLogin] {
        guard try store.inventory().nodes.isEmpty else { return [] }
        _ = try inventory.importDescription(yaml: DemoReservoir.description, by: principal)
        var users: [User] = []
        for t in DemoReservoir.tenants {
            _ = try tenancy.createTenant(Tenant(id: TenantID(t.id), weight: t.weight), by: principal)
            for q in t.quotas {
                _ = try tenancy.setQuota(Quota(tenant: TenantID(t.id), pool: PoolID(q.pool), guaranteedMilli: q.guaranteed * 1000, limitMilli: q.limit * 1000), by: principal)
            }
            users.append(User(id: UserID("\(t.id)-member"), tenant: TenantID(t.id), roles: [.member]))
        }
        users += [User(id: "finance", roles: [.finance]), User(id: "approver", roles: [.approver]), User(id: "emergency", roles: [.emergencyApprover])]
        for user in users { _ = try tenancy.createUser(user, by: principal) }
        try store.markDemo(tenants: DemoReservoir.tenants.map { TenantID($0.id) }, users: users.map(\.id))
        let history = DemoHistory.jobs(inventory: try store.inventory(), catalog: try store.catalog(), quotas: try store.quotas(tenant: nil), now: now())
        try store.insertHistory(history, by: Attribution(actor: principal.actor, at: now()))
        return try users.map { user in
            let (_, secret) = try access.issueToken(for: user.id, by: principal)
            return DemoLogin(user: user.id.rawValue, roles: user.roles.map(\.rawValue).sorted().joined(separator: ","), token: secret)
        }
    }
}
