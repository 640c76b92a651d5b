import Hummingbird
import ReservoirCore
import ReservoirServices

/// Tenants, users, tokens, quotas and the audit log.
struct TenancyController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/tenants", "List tenants by id (members see their own)", action: .readTenants,
                answers: .page(of: Components.tenant)
            ) { r, _, p in
                let page = try r.page()
                return try Coding.page(try reservoir.tenancy.listTenants(page: page, by: p), for: r, page)
            },
            APIRoute(.post, "/v1/tenants", "Create a tenant", action: .manageTenants,
                body: .decoded(Components.tenantInput), query: [.idempotencyKey], answers: .created(Components.tenant), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let t = try await Coding.decode(TenantInput.self, from: r, context: c)
                let tenant = Tenant(id: TenantID(t.id), name: t.name, weight: t.weight ?? 1)
                return try Coding.json(try reservoir.tenancy.createTenant(tenant, idempotencyKey: r.idempotencyKey, by: p), status: .created)
            },
            APIRoute(.patch, "/v1/tenants/{id}", "Disable or re-enable a tenant: a disabled tenant takes no new jobs", action: .manageTenants,
                body: .decoded(Components.disableChange), answers: .ok(Components.tenant), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let change = try await Coding.decode(DisableChange.self, from: r, context: c)
                return try Coding.json(try reservoir.tenancy.setTenantDisabled(TenantID(try c.parameter("id")), change.disabled, by: p))
            },
            APIRoute(.delete, "/v1/tenants/{id}", "Delete a tenant with its users and quotas (409 while it has unfinished jobs or job history)", action: .manageTenants,
                answers: .noContent, errors: [.forbidden, .conflict]
            ) { _, c, p in
                try reservoir.tenancy.deleteTenant(TenantID(try c.parameter("id")), by: p)
                return Response(status: .noContent)
            },
            APIRoute(.get, "/v1/users", "List users by id (filter: tenant)", action: .readUsers,
                query: [.id("tenant", "Only users of this tenant (members: their own)")], answers: .page(of: Components.user), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page()
                return try Coding.page(try reservoir.tenancy.listUsers(tenant: r.query("tenant").map { TenantID($0) }, page: page, by: p), for: r, page)
            },
            APIRoute(.post, "/v1/users", "Create a user with roles", action: .manageUsers,
                body: .decoded(Components.userInput), query: [.idempotencyKey], answers: .created(Components.user), errors: [.forbidden, .notFound, .conflict]
            ) { r, c, p in
                let u = try await Coding.decode(User.self, from: r, context: c)
                return try Coding.json(try reservoir.tenancy.createUser(u, idempotencyKey: r.idempotencyKey, by: p), status: .created)
            },
            APIRoute(.patch, "/v1/users/{id}", "Disable or re-enable a user: a disabled user's tokens stop working", action: .manageUsers,
                body: .decoded(Components.disableChange), answers: .ok(Components.user), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let change = try await Coding.decode(DisableChange.self, from: r, context: c)
                return try Coding.json(try reservoir.tenancy.setUserDisabled(UserID(try c.parameter("id")), change.disabled, by: p))
            },
            APIRoute(.delete, "/v1/users/{id}", "Delete a user and its tokens (409 while jobs it submitted are unfinished)", action: .manageUsers,
                answers: .noContent, errors: [.forbidden, .conflict]
            ) { _, c, p in
                try reservoir.tenancy.deleteUser(UserID(try c.parameter("id")), by: p)
                return Response(status: .noContent)
            },
            APIRoute(.get, "/v1/tokens", "List tokens, oldest first, never their secrets (filter: user)", action: .readTokens,
                query: [.id("user", "Only tokens of this user (members: their own)")], answers: .page(of: Components.tokenInfo), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page()
                return try Coding.page(try reservoir.access.listTokens(user: r.query("user").map { UserID($0) }, page: page, by: p), for: r, page)
            },
            APIRoute(.post, "/v1/tokens", "Issue a token for a user, optionally expiring (expiresAt, Unix seconds); the secret is shown once", action: .issueTokens,
                body: .decoded(Components.tokenRequest), answers: .created(Components.issuedToken), errors: [.forbidden, .notFound]
            ) { r, c, p in
                let t = try await Coding.decode(TokenRequest.self, from: r, context: c)
                let (info, secret) = try reservoir.access.issueToken(for: UserID(t.user), expiresAt: t.expiresAt, by: p)
                return try Coding.json(IssuedToken(id: info.id.rawValue, user: info.user.rawValue, token: secret, expiresAt: info.expiresAt), status: .created)
            },
            APIRoute(.delete, "/v1/tokens/{id}", "Revoke a token", action: .revokeTokens,
                answers: .noContent, errors: [.forbidden]
            ) { _, c, p in
                try reservoir.access.revokeToken(TokenID(try c.parameter("id")), by: p)
                return Response(status: .noContent)
            },
            APIRoute(.get, "/v1/quotas", "List quotas with GPUs in use (members see their tenant's; filter: tenant, pool)", action: .readQuotas,
                query: [.id("tenant", "Only quotas of this tenant (members: their own)"), .id("pool", "Only quotas in this pool")], answers: .page(of: Components.quotaView), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page()
                let quotas = try reservoir.tenancy.quotasWithUsage(tenant: r.query("tenant").map { TenantID($0) }, pool: r.query("pool").map { PoolID($0) }, page: page, by: p)
                return try Coding.page(quotas.map { QuotaView($0.quota, usedMilli: $0.usedMilli) }, for: r, page)
            },
            APIRoute(.put, "/v1/quotas", "Set a tenant's quota in a pool for a model (GPUs)", action: .manageQuotas,
                body: .decoded(Components.quotaInput), answers: .ok(Components.quotaView), errors: [.forbidden, .notFound]
            ) { r, c, p in
                let q = try await Coding.decode(QuotaInput.self, from: r, context: c)
                return try Coding.json(QuotaView(try reservoir.tenancy.setQuota(try q.quota(), by: p)))
            },
            APIRoute(.delete, "/v1/quotas", "Delete a tenant's quota in a pool (tenant, pool, model; 409 while the tenant has unfinished jobs there)", action: .manageQuotas,
                query: [.id("tenant", "The quota's tenant", required: true), .id("pool", "The quota's pool", required: true), QueryParameter("model", .text(maxBytes: InputLimits.symbolBytes), "The quota's model (default *: any)")], answers: .noContent, errors: [.forbidden, .notFound, .conflict]
            ) { r, _, p in
                guard let tenant = r.query("tenant") else { throw ReservoirError.invalid("tenant", "is required") }
                guard let pool = r.query("pool") else { throw ReservoirError.invalid("pool", "is required") }
                try reservoir.tenancy.deleteQuota(tenant: TenantID(tenant), pool: PoolID(pool), model: r.query("model") ?? Quota.anyModel, by: p)
                return Response(status: .noContent)
            },
            APIRoute(.get, "/v1/audit", "The audit log, newest first (filter: object, tenant, actor, action, since, until: Unix seconds)", action: .readAudit,
                query: [
                    QueryParameter("object", .text(), "Only entries about this object and its children"), .id("tenant", "Only entries of this tenant (members: their own)"),
                    QueryParameter("actor", .text(), "Only entries by this actor (as written in the log, e.g. user:alice)"),
                    QueryParameter("action", .text(), "Only this action (grant.extend) or family of actions (grant)"),
                    .since("Only entries since then"), QueryParameter("until", Schema.number().described("Unix seconds"), "Only entries before then"),
                ],
                answers: .page(of: Components.auditEntry), errors: [.forbidden]
            ) { r, _, p in
                let text = { (name: String) throws(ReservoirError) -> String? in
                    try r.query(name).map { o throws(ReservoirError) in try InputLimits.text(o, field: name); return o }
                }
                let filter = AuditListFilter(
                    object: try text("object"), tenant: r.query("tenant").map { TenantID($0) }, since: try r.time("since"), until: try r.time("until"),
                    actor: try text("actor"), action: try text("action"))
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
