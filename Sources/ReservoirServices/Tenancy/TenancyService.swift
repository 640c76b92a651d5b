import ReservoirCore
import ReservoirStore

extension Reservoir {
    public func createTenant(_ tenant: Tenant, by principal: Principal) throws -> Tenant {
        try principal.requireOperator("create tenants")
        try InputLimits.identifier(tenant.id.rawValue, field: "id")
        try InputLimits.name(tenant.name, field: "name")
        guard tenant.weight > 0, tenant.weight <= 1000 else { throw ReservoirError.invalid("weight", "must be in (0, 1000]") }
        try store.createTenant(tenant, by: attribution(principal))
        provisioningWakeups.poke()
        return tenant
    }

    public func listTenants(by principal: Principal) throws -> [Tenant] {
        let scope = try principal.readScope()
        return try store.tenants().filter { scope == nil || $0.id == scope }
    }

    public func createUser(_ user: User, by principal: Principal) throws -> User {
        try principal.requireOperator("create users")
        try InputLimits.identifier(user.id.rawValue, field: "id")
        if let tenant = user.tenant { try InputLimits.identifier(tenant.rawValue, field: "tenant") }
        guard !user.roles.isEmpty else { throw ReservoirError.invalid("roles", "at least one role is required") }
        if user.roles.contains(.member), user.tenant == nil {
            throw ReservoirError.invalid("tenant", "a member must belong to a tenant")
        }
        try store.createUser(user, by: attribution(principal))
        return user
    }

    public func listUsers(by principal: Principal) throws -> [User] {
        try store.users(tenant: principal.isOperator ? nil : try principal.readScope())
    }

    /// Sets a quota after checking that pool, tenant and model exist and the amounts make sense.
    public func setQuota(_ quota: Quota, by principal: Principal) throws -> Quota {
        try principal.requireOperator("set quotas")
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

    public func listQuotas(by principal: Principal) throws -> [Quota] {
        try store.quotas(tenant: try principal.readScope())
    }

    public func auditLog(object: String?, since: Double? = nil, limit: Int, by principal: Principal) throws -> [AuditEntry] {
        try store.auditEntries(object: object, tenant: try principal.readScope(), since: since, limit: min(max(limit, 1), 1000))
    }
}
