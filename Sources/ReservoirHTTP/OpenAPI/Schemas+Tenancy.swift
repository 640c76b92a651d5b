import ReservoirCore

/// Tenants, users, tokens, quotas, usage and the audit log.
extension Components {
    static let tenant = Component("Tenant", .object(
        required: ["id": .string(), "name": .string(), "weight": .number()],
        optional: ["disabled": .boolean]))

    /// `TenantInput`: `POST /v1/tenants`.
    static let tenantInput = Component("TenantInput", .input(
        required: ["id": .identifier],
        optional: ["name": .name, "weight": Schema.number(Bounds.tenantWeight).exclusiveMinimum.described("Fair-share weight (default 1)")]))

    static let user = Component("User", .object(
        required: ["id": .string(), "roles": .array(.cases(Role.self), unique: true)],
        optional: ["tenant": .string(), "disabled": .boolean]))

    /// A user as `POST /v1/users` takes it.
    static let userInput = Component("UserInput", .input(
        required: ["id": .identifier, "roles": .array(.cases(Role.self), maxItems: Role.allCases.count, minItems: 1, unique: true)],
        optional: ["tenant": Schema.identifier.described("The tenant a member belongs to; absent for platform-wide users"), "disabled": .boolean]))

    /// `DisableChange`: `PATCH /v1/tenants/{id}` and `PATCH /v1/users/{id}`.
    static let disableChange = Component("DisableChange", .object(required: ["disabled": .boolean]))

    static let tokenInfo = Component("TokenInfo", .object(
        required: ["id": .string(), "user": .string(), "createdAt": .number(), "revoked": .boolean],
        optional: ["expiresAt": .number(), "lastUsedAt": .number()]))

    static let tokenRequest = Component("TokenRequest", .input(
        required: ["user": .identifier],
        optional: ["expiresAt": Schema.unixSeconds.described("Unix seconds after which the token is refused; absent: it does not expire")]))

    /// The one answer that shows a token's secret.
    static let issuedToken = Component("IssuedToken", .object(
        required: ["id": .string(), "user": .string(), "token": .string()],
        optional: ["expiresAt": .number()]))

    static let quotaInput = Component("QuotaInput", .input(
        required: ["tenant": .identifier, "pool": .identifier, "guaranteed": .number(Bounds.quotaGPUs), "limit": .number(Bounds.quotaGPUs)],
        optional: ["model": Schema.text(maxBytes: InputLimits.symbolBytes).described("A catalog model, or * (default) for any")]))

    static let quotaView = Component("Quota", .object(
        required: ["tenant": .string(), "pool": .string(), "model": .string(), "guaranteed": .number(minimum: 0), "limit": .number(minimum: 0)],
        optional: ["used": Schema.number(minimum: 0).described("GPUs held against the quota (in the listing only)")]))

    static let usageReport = Component("UsageReport", .object(required: [
        "since": .number(), "until": .number(), "open": Schema.boolean.described("Only open sessions were counted"),
        "lines": .array(usageLine.ref), "sessions": .array(usageSession.ref),
    ]))

    static let usageLine = Component("UsageLine", .object(
        required: ["tenant": .string(), "model": .string(), "gpuHours": Schema.number(minimum: 0).described("Inside the period, open sessions up to now")],
        optional: ["project": Schema.string().described("Absent: no project named")]))

    static let usageSession = Component("UsageSession", .object(
        required: [
            "id": .integer(minimum: 0), "job": .string(), "tenant": .string(), "model": .string(), "gpuMilli": .integer(minimum: 0),
            "devices": .integer(minimum: 0), "priority": .string(), "preemptible": .boolean, "startedAt": .number(),
        ],
        optional: [
            "pool": .string(), "project": .string(), "service": .string(), "grant": .string(), "migProfile": .string(),
            "endedAt": Schema.number().described("Absent while the session is open"),
            "closedBy": Schema.cases(UsageCloseReason.self).described("Why it closed: ended, preempted, resized or reconciled"),
        ]))

    static let auditEntry = Component("AuditEntry", .object(
        required: ["id": .integer(minimum: 0), "at": .number(), "actor": .string(), "action": .string(), "object": .string()],
        optional: [
            "tenant": .string(),
            "before": Schema.string().described("JSON of the changed fields as they were"),
            "after": Schema.string().described("JSON of the changed fields as they are now"),
        ]))
}
