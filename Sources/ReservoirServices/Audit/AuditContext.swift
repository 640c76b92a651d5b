import ReservoirCore
import ReservoirStore

/// The audit log as its readers see it: members their own tenant's entries, operators and finance all.
public struct AuditContext: ApplicationContext {
    public typealias Store = AuditStore
    let store: any Store
    public let runtime: Runtime

    /// A page of the entries the caller may read that match `filter`, newest first.
    public func auditLog(_ filter: AuditListFilter, page: PageRequest, by principal: Principal) throws -> Page<AuditEntry> {
        var filter = filter
        filter.tenant = try access.listedTenant(asked: filter.tenant, principal, .readAudit)
        return try store.auditEntries(filter, page: page)
    }

    /// The newest `limit` entries about `object` (and its children) the caller may read.
    public func auditLog(object: String?, limit: Int, by principal: Principal) throws -> [AuditEntry] {
        try auditLog(AuditListFilter(object: object), page: PageRequest(limit: limit), by: principal).items
    }
}
