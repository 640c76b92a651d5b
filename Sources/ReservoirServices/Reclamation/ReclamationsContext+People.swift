import ReservoirCore

/// What people do with reclamations: an owner returns a grant early, an operator takes one back by
/// force (only with an approval record), anyone who may read them lists a month's records. Each checks
/// who may, then goes through `reclaimGrant`.
extension ReclamationsContext {
    /// The owner gives grant `id` back before its end (`grants.hold`): its jobs stop (running ones after
    /// their checkpoint grace), the quota falls back, the record credits the hours given up. 404 for a
    /// grant the caller may not see; 409 once it has ended (a second return).
    public func returnGrant(_ id: GrantID, reason: String?, by principal: Principal) throws -> ReclamationRecord {
        let grant = try visibleGrant(id, by: principal)
        try access.require(principal, .holdGrants, tenant: grant.tenant)
        if let reason { try InputLimits.text(reason, field: "reason", maxBytes: InputLimits.nameBytes) }
        let why = reason.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        let note = "returned early by \(principal.actor)" + (why.map { ": \($0)" } ?? "")
        return try completed(try reclaimGrant(id, reason: .voluntary, actor: principal.actor, approvedBy: nil, note: note), grant)
    }

    /// An operator takes grant `id` back outside the rules (`reclamation.manage`). Impossible without an
    /// approval record (`approval`, e.g. a ticket; 400) and a reason (400); 409 once the grant has ended.
    public func forceReclaim(_ id: GrantID, approval: String, reason: String, by principal: Principal) throws -> ReclamationRecord {
        let grant = try visibleGrant(id, by: principal)
        try access.require(principal, .reclaim, tenant: grant.tenant)
        try InputLimits.text(approval, field: "approval", maxBytes: InputLimits.nameBytes)
        try InputLimits.text(reason, field: "reason", maxBytes: InputLimits.nameBytes)
        guard !approval.allSatisfy(\.isWhitespace) else {
            throw ReservoirError.invalid("approval", "a forced reclaim needs an approval record (e.g. the ticket that approved it)")
        }
        guard !reason.allSatisfy(\.isWhitespace) else { throw ReservoirError.invalid("reason", "say why the grant is taken back") }
        return try completed(try reclaimGrant(id, reason: .forced, actor: principal.actor, approvedBy: approval, note: reason), grant)
    }

    /// A page of the records of `month` (default: this month on Reservoir's clock), newest first: every
    /// tenant's for operators and finance, the caller's own tenant's otherwise; of one tenant or reason when asked.
    public func reclamations(
        month: ReportMonth?, tenant: TenantID?, reason: ReclamationReason?, page: PageRequest, by principal: Principal
    ) throws -> Page<ReclamationRecord> {
        let tenant = try access.listedTenant(asked: tenant, principal, .readReclamations)
        let month = month ?? ReportMonth(containing: clock())
        return try store.reclamations(since: month.since, until: month.until, tenant: tenant, reason: reason, page: page)
    }

    /// The grant when the caller may read its tenant's grants; otherwise "not found", so other tenants'
    /// grant ids do not leak.
    private func visibleGrant(_ id: GrantID, by principal: Principal) throws -> Grant {
        guard let grant = try store.grant(id), access.allows(principal, .readRequests, tenant: grant.tenant) else {
            throw ReservoirError.notFound("id", "no grant \(id)")
        }
        return grant
    }

    /// The record written; nil means it was already taken back (by a pass or person meanwhile): 409.
    private func completed(_ record: ReclamationRecord?, _ grant: Grant) throws -> ReclamationRecord {
        guard let record else {
            throw ReservoirError(.conflict, field: "state", "grant \(grant.id) was already taken back")
        }
        return record
    }
}
