import ReservoirCore

extension Reservoir {
    /// One pass of the lease rules on Reservoir's clock: the notices due now, then every grant whose
    /// window ended is reclaimed (`ReclamationsContext.reclaimGrant`, reason expiry: its running jobs get
    /// their checkpoint grace period and stop; its quota and engine-side limits fall back). A grant whose
    /// reclamation failed still expires (`GrantsContext.expireEnded`), so it admits nothing new. Each step
    /// is its own transaction and idempotent, so a pass interrupted by a crash completes at the next one
    /// and sends nothing twice. Returns the records of the grants reclaimed.
    @discardableResult
    public func leasePass() throws -> [ReclamationRecord] {
        try leases.sendDueNotices()
        var records: [ReclamationRecord] = []
        for grant in try leases.endedLeases() {
            do {
                let note = "its lease ended at \(InstantText.iso(grant.endsAt ?? now()))\(Self.extensionsNote(grant))"
                if let record = try reclamations.reclaimGrant(grant.id, reason: .expiry, actor: "system:leases", approvedBy: nil, note: note) {
                    records.append(record)
                }
            } catch {
                logger.error("lease pass: reclaiming grant \(grant.id) failed", metadata: ["error": "\(error)"])
            }
        }
        try grants.expireEnded()
        return records
    }

    /// Seconds until the lease pass has something to do (a notice due, a window ending), at most `limit`.
    func secondsUntilNextLeaseEvent(atMost limit: Double) -> Double {
        min(grants.secondsUntilNextEnd(atMost: limit), leases.secondsUntilNextNotice(atMost: limit))
    }

    private static func extensionsNote(_ grant: Grant) -> String {
        let approved = (grant.extensions ?? []).filter { $0.state == .approved }
        guard !approved.isEmpty else { return "" }
        return " after \(approved.count) extension\(approved.count == 1 ? "" : "s") (\(approved.map { "+\($0.days) days" }.joined(separator: ", ")))"
    }
}
