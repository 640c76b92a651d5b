import ReservoirCore
import ReservoirStore

/// Tenancy & access: tenants, users and quotas, and retiring them.
public struct TenancyContext: ApplicationContext {
    public typealias Store = TenancyStore & InventoryReader & JobReader
    let store: any Store
    public let runtime: Runtime
    /// Grants in effect, which raise the quotas shown with their usage; nil: the stored quotas alone.
    var grants: GrantsContext?
    /// The unfinished jobs, followed from the change feed (the scheduler's view, shared by `Reservoir`).
    var jobView = JobView()

    public func createTenant(_ tenant: Tenant, idempotencyKey: String? = nil, by principal: Principal) throws -> Tenant {
        try access.require(principal, .manageTenants, tenant: tenant.id)
        try InputLimits.identifier(tenant.id.rawValue, field: "id")
        try InputLimits.name(tenant.name, field: "name")
        guard tenant.weight > Bounds.tenantWeight.lowerBound, tenant.weight <= Bounds.tenantWeight.upperBound else { throw ReservoirError.invalid("weight", "must be in (0, 1000]") }
        let key = try Idempotency.key(idempotencyKey, route: "POST /v1/tenants", request: tenant, by: principal)
        if let earlier = try Idempotency.replay(key, in: store) {
            guard let created = try store.tenants().first(where: { "tenants/\($0.id)" == earlier }) else { throw ReservoirError.notFound("tenant", "\(earlier) was deleted") }
            return created
        }
        try store.createTenant(tenant, idempotency: key, by: attribution(principal))
        provisioningWakeups.poke()
        return tenant
    }

    /// A page of tenants by id; a member's list is their own tenant.
    public func listTenants(page: PageRequest, by principal: Principal) throws -> Page<Tenant> {
        guard let scope = try access.tenantFilter(principal, .readTenants) else { return try store.tenants(page: page) }
        return Page(sorted: try store.tenants().filter { $0.id == scope }, by: { [$0.id.rawValue] }, for: page)
    }

    public func createUser(_ user: User, idempotencyKey: String? = nil, by principal: Principal) throws -> User {
        try access.require(principal, .manageUsers, tenant: user.tenant)
        try InputLimits.identifier(user.id.rawValue, field: "id")
        if let tenant = user.tenant { try InputLimits.identifier(tenant.rawValue, field: "tenant") }
        guard !user.roles.isEmpty else { throw ReservoirError.invalid("roles", "at least one role is required") }
        if user.roles.contains(.member), user.tenant == nil {
            throw ReservoirError.invalid("tenant", "a member must belong to a tenant")
        }
        let key = try Idempotency.key(idempotencyKey, route: "POST /v1/users", request: user, by: principal)
        if let earlier = try Idempotency.replay(key, in: store) {
            guard let created = try store.users(tenant: nil).first(where: { "users/\($0.id)" == earlier }) else { throw ReservoirError.notFound("user", "\(earlier) was deleted") }
            return created
        }
        try store.createUser(user, idempotency: key, by: attribution(principal))
        return user
    }

    /// A page of users by id, of one tenant when asked (members: their own tenant's).
    public func listUsers(tenant: TenantID?, page: PageRequest, by principal: Principal) throws -> Page<User> {
        try store.users(tenant: try access.listedTenant(asked: tenant, principal, .readUsers), page: page)
    }

    /// Sets a quota after checking that pool, tenant and model exist and the amounts make sense.
    public func setQuota(_ quota: Quota, by principal: Principal) throws -> Quota {
        try access.require(principal, .manageQuotas, tenant: quota.tenant)
        try InputLimits.identifier(quota.tenant.rawValue, field: "tenant")
        try InputLimits.identifier(quota.pool.rawValue, field: "pool")
        try InputLimits.text(quota.model, field: "model", maxBytes: InputLimits.symbolBytes)
        try quota.validate()
        var quota = quota
        if quota.model != Quota.anyModel {
            guard let canonical = try store.catalog().canonicalName(quota.model) else {
                throw ReservoirError.notFound("model", "unknown device model \(quota.model); see /v1/catalog")
            }
            quota.model = canonical
        }
        try store.setQuota(quota, by: attribution(principal))
        wakeups.poke()
        provisioningWakeups.poke()
        return quota
    }

    // MARK: - Day two

    /// Disables (or re-enables) a tenant: a disabled tenant takes no new jobs; its running work finishes.
    public func setTenantDisabled(_ id: TenantID, _ disabled: Bool, by principal: Principal) throws -> Tenant {
        try access.require(principal, .manageTenants, tenant: id)
        let tenant = try store.setTenantDisabled(id, disabled, by: attribution(principal))
        provisioningWakeups.poke()
        return tenant
    }

    /// Deletes a tenant with its users and quotas; refused (409) while it has unfinished jobs or job history.
    public func deleteTenant(_ id: TenantID, by principal: Principal) throws {
        try access.require(principal, .manageTenants, tenant: id)
        try store.deleteTenant(id, by: attribution(principal))
        provisioningWakeups.poke()
    }

    /// Disables (or re-enables) a user: a disabled user's tokens stop working at once.
    public func setUserDisabled(_ id: UserID, _ disabled: Bool, by principal: Principal) throws -> User {
        try access.require(principal, .manageUsers, tenant: nil)
        guard id != principal.user.id else { throw ReservoirError(.conflict, field: "id", "you cannot disable yourself") }
        return try store.setUserDisabled(id, disabled, by: attribution(principal))
    }

    /// Deletes a user and its tokens; refused (409) while jobs it submitted are unfinished.
    public func deleteUser(_ id: UserID, by principal: Principal) throws {
        try access.require(principal, .manageUsers, tenant: nil)
        guard id != principal.user.id else { throw ReservoirError(.conflict, field: "id", "you cannot delete yourself") }
        try store.deleteUser(id, by: attribution(principal))
    }

    /// Deletes a quota; refused (409) while the tenant has unfinished jobs in that pool.
    public func deleteQuota(tenant: TenantID, pool: PoolID, model: String, by principal: Principal) throws {
        try access.require(principal, .manageQuotas, tenant: tenant)
        var model = model
        if model != Quota.anyModel, let canonical = try store.catalog().canonicalName(model) { model = canonical }
        try store.deleteQuota(tenant: tenant, pool: pool, model: model, by: attribution(principal))
        wakeups.poke()
        provisioningWakeups.poke()
    }
}
