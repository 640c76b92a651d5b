/// Which audit entries a list shows; every criterion given must hold. `object` matches the object and
/// its children (`jobs/job-000042` and `jobs/job-000042/...`); times are Unix seconds, `since`
/// inclusive and `until` exclusive.
public struct AuditListFilter: Hashable, Sendable {
    public var object: String?
    public var tenant: TenantID?
    public var since: Double?
    public var until: Double?

    public init(object: String? = nil, tenant: TenantID? = nil, since: Double? = nil, until: Double? = nil) {
        self.object = object
        self.tenant = tenant
        self.since = since
        self.until = until
    }
}
