/// Which audit entries a list shows; every criterion given must hold. `object` matches the object and
/// its children (`jobs/job-000042` and `jobs/job-000042/...`); `action` matches the action and its family
/// (`grant` matches `grant.create` and `grant.extend`; `grant.extend` only itself); `actor` is exact
/// (`user:alice`); times are Unix seconds, `since` inclusive and `until` exclusive.
public struct AuditListFilter: Hashable, Sendable {
    public var object: String?
    public var tenant: TenantID?
    public var since: Double?
    public var until: Double?
    public var actor: String?
    public var action: String?

    public init(
        object: String? = nil, tenant: TenantID? = nil, since: Double? = nil, until: Double? = nil, actor: String? = nil, action: String? = nil
    ) {
        self.object = object
        self.tenant = tenant
        self.since = since
        self.until = until
        self.actor = actor
        self.action = action
    }
}
