import Hummingbird
import ReservoirCore
import ReservoirServices

/// Tenants, users, tokens, quotas and the audit log.
struct TenancyController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/tenants", "List tenants by id (members see their own; limit, cursor)", action: .readTenants) { r, _, p in
                let page = try r.page()
                return try Coding.page(try reservoir.tenancy.listTenants(page: page, by: p), for: r, page)
            },
            APIRoute(.post, "/v1/tenants", "Create a tenant", action: .manageTenants, body: "Tenant") { r, c, p in
                let t = try await Coding.decode(TenantInput.self, from: r, context: c)
                let tenant = Tenant(id: TenantID(t.id), name: t.name, weight: t.weight ?? 1)
                return try Coding.json(try reservoir.tenancy.createTenant(tenant, idempotencyKey: r.idempotencyKey, by: p), status: .created)
            },
            APIRoute(.patch, "/v1/tenants/{id}", "Disable or re-enable a tenant: a disabled tenant takes no new jobs", action: .manageTenants, body: "Disable") { r, c, p in
                let change = try await Coding.decode(DisableChange.self, from: r, context: c)
                return try Coding.json(try reservoir.tenancy.setTenantDisabled(TenantID(try c.parameter("id")), change.disabled, by: p))
            },
            APIRoute(.delete, "/v1/tenants/{id}", "Delete a tenant with its users and quotas (409 while it has unfinished jobs or job history)", action: .manageTenants) { _, c, p in
                try reservoir.tenancy.deleteTenant(TenantID(try c.parameter("id")), by: p)
                return Response(status: .noContent)
            },
            APIRoute(.get, "/v1/users", "List users by id (filter: tenant; limit, cursor)", action: .readUsers) { r, _, p in
                let page = try r.page()
                return try Coding.page(try reservoir.tenancy.listUsers(tenant: r.query("tenant").map { TenantID($0) }, page: page, by: p), for: r, page)
            },
            APIRoute(.post, "/v1/users", "Create a user with roles", action: .manageUsers, body: "User") { r, c, p in
                let u = try await Coding.decode(User.self, from: r, context: c)
                return try Coding.json(try reservoir.tenancy.createUser(u, idempotencyKey: r.idempotencyKey, by: p), status: .created)
            },
            APIRoute(.patch, "/v1/users/{id}", "Disable or re-enable a user: a disabled user's tokens stop working", action: .manageUsers, body: "Disable") { r, c, p in
                let change = try await Coding.decode(DisableChange.self, from: r, context: c)
                return try Coding.json(try reservoir.tenancy.setUserDisabled(UserID(try c.parameter("id")), change.disabled, by: p))
            },
            APIRoute(.delete, "/v1/users/{id}", "Delete a user and its tokens (409 while jobs it submitted are unfinished)", action: .manageUsers) { _, c, p in
                try reservoir.tenancy.deleteUser(UserID(try c.parameter("id")), by: p)
                return Response(status: .noContent)
            },
            APIRoute(.get, "/v1/tokens", "List tokens, oldest first, never their secrets (filter: user; limit, cursor)", action: .readTokens) { r, _, p in
                let page = try r.page()
                return try Coding.page(try reservoir.access.listTokens(user: r.query("user").map { UserID($0) }, page: page, by: p), for: r, page)
            },
            APIRoute(.post, "/v1/tokens", "Issue a token for a user, optionally expiring (expiresAt, Unix seconds); the secret is shown once", action: .issueTokens, body: "TokenRequest") { r, c, p in
                let t = try await Coding.decode(TokenRequest.self, from: r, context: c)
                let (info, secret) = try reservoir.access.issueToken(for: UserID(t.user), expiresAt: t.expiresAt, by: p)
                return try Coding.json(IssuedToken(id: info.id.rawValue, user: info.user.rawValue, token: secret, expiresAt: info.expiresAt), status: .created)
            },
            APIRoute(.delete, "/v1/tokens/{id}", "Revoke a token", action: .revokeTokens) { _, c, p in
                try reservoir.access.revokeToken(TokenID(try c.parameter("id")), by: p)
                return Response(status: .noContent)
            },
            APIRoute(.get, "/v1/quotas", "List quotas with GPUs in use (members see their tenant's; filter: tenant, pool; limit, cursor)", action: .readQuotas) { r, _, p in
                let page = try r.page()
                let quotas = try reservoir.tenancy.quotasWithUsage(tenant: r.query("tenant").map { TenantID($0) }, pool: r.query("pool").map { PoolID($0) }, page: page, by: p)
                return try Coding.page(quotas.map { QuotaView($0.quota, usedMilli: $0.usedMilli) }, for: r, page)
            },
            APIRoute(.put, "/v1/quotas", "Set a tenant's quota in a pool for a model (GPUs)", action: .manageQuotas, body: "QuotaInput") { r, c, p in
                let q = try await Coding.decode(QuotaInput.self, from: r, context: c)
                return try Coding.json(QuotaView(try reservoir.tenancy.setQuota(try q.quota(), by: p)))
            },
            APIRoute(.delete, "/v1/quotas", "Delete a tenant's quota in a pool (tenant, pool, model; 409 while the tenant has unfinished jobs there)", action: .manageQuotas) { r, _, p in
                guard let tenant = r.query("tenant") else { throw ReservoirError.invalid("tenant", "is required") }
                guard let pool = r.query("pool") else { throw ReservoirError.invalid("pool", "is required") }
                try reservoir.tenancy.deleteQuota(tenant: TenantID(tenant), pool: PoolID(pool), model: r.query("model") ?? Quota.anyModel, by: p)
                return Response(status: .noContent)
            },
            APIRoute(.get, "/v1/usage", "Metered usage: GPU-hours and cost per tenant and model, and a page of the sessions (since, until: Unix seconds; limit, cursor: the sessions)", action: .readUsage) { r, _, p in
                let since = try Bounds.check(try r.query("since", as: Double.self) ?? 0, "since", in: Bounds.unixSeconds, unit: "(Unix seconds)")
                let until = try r.query("until", as: Double.self).map { u throws(ReservoirError) in try Bounds.check(u, "until", in: Bounds.unixSeconds, unit: "(Unix seconds)") }
                let page = try r.page()
                let report = try reservoir.metering.usage(since: since, until: until, page: page, by: p)
                return try Coding.json(report, next: report.next, for: r, page)
            },
            APIRoute(.get, "/v1/audit", "The audit log, newest first (filter: object, tenant, since, until: Unix seconds; limit, cursor)", action: .readAudit) { r, _, p in
                let filter = AuditListFilter(object: r.query("object"), tenant: r.query("tenant").map { TenantID($0) }, since: try r.time("since"), until: try r.time("until"))
                let page = try r.page()
                return try Coding.page(try reservoir.audit.auditLog(filter, page: page, by: p), for: r, page)
            },
        ]
    }
}

struct TenantInput: Codable {
    var id: String
    var name: String?
    var weight: Double?
}

struct TokenRequest: Codable {
    var user: String
    /// Unix seconds after which the token is refused; absent: it does not expire.
    var expiresAt: Double?
}

/// `{"disabled": true}` retires a tenant or user without deleting its history; `false` brings it back.
struct DisableChange: Codable { var disabled: Bool }

/// Quotas on the wire are in GPUs (fractions allowed); the store keeps milli-GPU.
struct QuotaInput: Codable {
    var tenant: String
    var pool: String
    var model: String?
    var guaranteed: Double
    var limit: Double

    func quota() throws -> Quota {
        Quota(tenant: TenantID(tenant), pool: PoolID(pool), model: model ?? Quota.anyModel,
              guaranteedMilli: try Bounds.milli(guaranteed, "guaranteed", in: Bounds.quotaGPUs, unit: "GPUs"),
              limitMilli: try Bounds.milli(limit, "limit", in: Bounds.quotaGPUs, unit: "GPUs"))
    }
}
