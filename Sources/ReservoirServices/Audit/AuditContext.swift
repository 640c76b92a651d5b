import ReservoirCore
import ReservoirStore

/// The audit log as its readers see it: members their own tenant's entries, operators and finance all.
public struct AuditContext: ApplicationContext {
    public typealias Store = AuditStore
    let store: any Store
    public let runtime: Runtime

    public func auditLog(object: String?, since: Double? = nil, limit: Int, by principal: Principal) throws -> [AuditEntry] {
        try store.auditEntries(object: object, tenant: try access.tenantFilter(principal, .readAudit), since: since, limit: min(max(limit, 1), 1000))
    }
}
