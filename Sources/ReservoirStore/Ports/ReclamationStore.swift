import ReservoirCore

/// Reads of reclamation records.
public protocol ReclamationReader: Sendable {
    /// Records with `since <= at < until`, newest first, optionally of one tenant and for one reason.
    func reclamations(since: Double, until: Double, tenant: TenantID?, reason: ReclamationReason?, page: PageRequest) throws -> Page<ReclamationRecord>
    func reclamation(_ id: String) throws -> ReclamationRecord?
}

extension ReclamationReader {
    /// Records with `since <= at < until`, newest first, optionally of one tenant, for every reason.
    public func reclamations(since: Double, until: Double, tenant: TenantID?, page: PageRequest) throws -> Page<ReclamationRecord> {
        try reclamations(since: since, until: until, tenant: tenant, reason: nil, page: page)
    }
}

/// The reclamation context's port: every reclamation is one transaction holding its record, the change
/// to what it took back (a grant and its request), the notices and the audit entry. A record id already
/// stored makes the call a no-op that returns nil, so a pass completed again after a crash never records
/// (or announces) a reclamation twice.
public protocol ReclamationStore: ReclamationReader, RequestStore {
    /// Records `record` and applies `change` to grant `id` and its request in the same transaction.
    @discardableResult
    func reclaimGrant(
        _ id: GrantID, record: ReclamationRecord, by who: Attribution,
        change: (inout Grant, inout AllocationRequest) throws -> [OutboxNotification]
    ) throws -> ReclamationRecord?
    /// Records a reclamation of something that is not a grant (service replicas, an idle job) with its notices.
    @discardableResult
    func recordReclamation(_ record: ReclamationRecord, notices: [OutboxNotification], by who: Attribution) throws -> ReclamationRecord?
}
