import GRDB
import ReservoirCore

/// Reclamation records (migration `v10-reclamations`). A reclamation is one transaction: its record,
/// the change to what it took back (a grant and its request, through the same writer as every grant
/// change), the notices and the audit entries. The record id is stable, so a reclamation completed
/// again after a crash finds its record and changes nothing.
extension SQLiteStore {
    // MARK: - Reads

    public func reclamations(
        since: Double, until: Double, tenant: TenantID?, reason: ReclamationReason?, page: PageRequest
    ) throws -> Page<ReclamationRecord> {
        var query = Conditions()
        query.add("at >= ?", since)
        query.add("at < ?", until)
        if let tenant { query.add("tenant = ?", tenant.rawValue) }
        if let reason { query.add("reason = ?", reason.rawValue) }
        if let cursor = page.cursor { query.add("(at, seq) < (?, ?)", try cursor.number(0), try cursor.integer(1)) }
        return try db.read { db in
            try Self.page(
                db, "SELECT seq, at, body FROM reclamation\(query.whereClause) ORDER BY at DESC, seq DESC", query.arguments, page,
                key: { [String($0["at"] as Double), String($0["seq"] as Int64)] }
            ) { try Self.decode(ReclamationRecord.self, $0["body"]) }
        }
    }

    public func reclamation(_ id: String) throws -> ReclamationRecord? {
        try db.read { db in try Self.reclamation(db, id) }
    }

    // MARK: - Writes

    @discardableResult
    public func reclaimGrant(
        _ id: GrantID, record: ReclamationRecord, by who: Attribution,
        change: (inout Grant, inout AllocationRequest) throws -> [OutboxNotification]
    ) throws -> ReclamationRecord? {
        try db.write { db in
            guard try Self.reclamation(db, record.id) == nil else { return nil }
            _ = try Self.changeGrant(db, id, action: "reclaim", by: who, change: change)
            try Self.insert(db, record, by: who)
            return record
        }
    }

    @discardableResult
    public func recordReclamation(_ record: ReclamationRecord, notices: [OutboxNotification], by who: Attribution) throws -> ReclamationRecord? {
        try db.write { db in
            guard try Self.reclamation(db, record.id) == nil else { return nil }
            try Self.insert(db, record, by: who)
            for notice in notices { try Self.enqueue(db, notice) }
            return record
        }
    }

    // MARK: - Helpers

    static func reclamation(_ db: Database, _ id: String) throws -> ReclamationRecord? {
        try String.fetchOne(db, sql: "SELECT body FROM reclamation WHERE id = ?", arguments: [id]).map { try decode(ReclamationRecord.self, $0) }
    }

    /// Inserts the record with its audit entry (`reclamation.<reason>` on the object taken back).
    private static func insert(_ db: Database, _ record: ReclamationRecord, by who: Attribution) throws {
        try db.execute(
            sql: "INSERT INTO reclamation (id, tenant, kind, reason, at, body) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [record.id, record.tenant.rawValue, record.kind.rawValue, record.reason.rawValue, record.at, try json(record)])
        try audit(
            db, who, action: "reclamation.\(record.reason.rawValue)", object: "\(record.kind.rawValue)s/\(record.object)", tenant: record.tenant,
            before: Nothing?.none, after: record)
    }
}
