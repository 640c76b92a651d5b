import ReservoirCore

/// The audit log: every change is appended by the store in its own transaction; this port records
/// what is done outside the store (an engine repair after a crash) and reads the log.
public protocol AuditStore: Sendable {
    func recordAudit<Detail: Encodable>(action: String, object: String, tenant: TenantID?, detail: Detail, by who: Attribution) throws
    /// Audit entries newest first, optionally about one object (and its children), of one tenant, at or after `since`.
    func auditEntries(object: String?, tenant: TenantID?, since: Double?, limit: Int) throws -> [AuditEntry]
    /// A page of audit entries, newest first.
    func auditEntries(_ filter: AuditListFilter, page: PageRequest) throws -> Page<AuditEntry>
}

extension AuditStore {
    public func auditEntries(object: String?, tenant: TenantID?, limit: Int) throws -> [AuditEntry] {
        try auditEntries(object: object, tenant: tenant, since: nil, limit: limit)
    }
}
