import GRDB
import ReservoirCore

/// Business events (migration `v16-business-events`): one row per event, the body its JSON.
extension SQLiteStore {
    public func addBusinessEvent(_ event: BusinessEventRecord, by who: Attribution) throws -> BusinessEventRecord {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO business_event (id, start, \"end\", body) VALUES ('', ?, ?, '{}')", arguments: [event.start, event.end])
            var stored = event
            stored.id = "ev-\(db.lastInsertedRowID)"
            try db.execute(
                sql: "UPDATE business_event SET id = ?, body = ? WHERE seq = ?", arguments: [stored.id, try Self.json(stored), db.lastInsertedRowID])
            try Self.audit(db, who, action: "event.register", object: "business-events/\(stored.id)", before: Nothing?.none, after: stored)
            return stored
        }
    }

    public func businessEvents() throws -> [BusinessEventRecord] {
        try db.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM business_event ORDER BY start, seq").map { try Self.decode(BusinessEventRecord.self, $0) }
        }
    }

    public func deleteBusinessEvent(_ id: String, by who: Attribution) throws -> BusinessEventRecord? {
        try db.write { db in
            guard let body = try String.fetchOne(db, sql: "SELECT body FROM business_event WHERE id = ?", arguments: [id]) else { return nil }
            let event = try Self.decode(BusinessEventRecord.self, body)
            try db.execute(sql: "DELETE FROM business_event WHERE id = ?", arguments: [id])
            try Self.audit(db, who, action: "event.withdraw", object: "business-events/\(id)", before: event, after: Nothing?.none)
            return event
        }
    }
}
