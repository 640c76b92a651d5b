import GRDB
import ReservoirCore

/// Alerts (migration `v14-alerts`): one row per episode, the alert as JSON beside the columns lists
/// filter on. An open episode (pending or firing) is unique per rule and subject.
extension SQLiteStore {
    public func openAlerts() throws -> [Alert] {
        try db.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM alert WHERE state IN ('pending', 'firing') ORDER BY seq").map { try Self.decode(Alert.self, $0) }
        }
    }

    public func alerts(state: AlertState?, since: Double?, page: PageRequest) throws -> Page<Alert> {
        var query = Conditions()
        if let state { query.add("state = ?", state.rawValue) }
        if let since { query.add("(resolved_at IS NULL OR resolved_at >= ?)", since) }
        if let cursor = page.cursor { query.add("seq < ?", try cursor.integer(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT seq, body FROM alert\(query.whereClause) ORDER BY seq DESC", query.arguments, page, key: { [String($0["seq"] as Int64)] }) {
                try Self.decode(Alert.self, $0["body"])
            }
        }
    }

    public func applyAlertChanges(_ changes: [AlertChange], by who: Attribution) throws {
        guard !changes.isEmpty else { return }
        try db.write { db in
            for change in changes {
                let alert = change.alert
                let before = try String.fetchOne(db, sql: "SELECT body FROM alert WHERE id = ?", arguments: [alert.id]).map { try Self.decode(Alert.self, $0) }
                switch change {
                case .dropped:
                    try db.execute(sql: "DELETE FROM alert WHERE id = ?", arguments: [alert.id])
                case .opened, .fired, .resolved:
                    try db.execute(
                        sql: """
                            INSERT INTO alert (id, rule, subject, state, since, resolved_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT(id) DO UPDATE SET state = excluded.state, resolved_at = excluded.resolved_at, body = excluded.body
                            """,
                        arguments: [alert.id, alert.rule.rawValue, alert.subject, alert.state.rawValue, alert.since, alert.resolvedAt, try Self.json(alert)])
                }
                let action = switch change {
                case .opened(let a): a.state == .firing ? "alert.fired" : "alert.pending"
                case .fired: "alert.fired"
                case .resolved: "alert.resolved"
                case .dropped: "alert.dropped"
                }
                try Self.audit(db, who, action: action, object: "alerts/\(alert.id)", before: before, after: change.isAnnounced || action == "alert.pending" ? alert : nil)
                if change.isAnnounced, let notice = OutboxNotification.alert(alert) { try Self.enqueue(db, notice) }
            }
        }
    }
}
