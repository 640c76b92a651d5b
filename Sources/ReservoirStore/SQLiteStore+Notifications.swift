import GRDB
import ReservoirCore

/// The notification outbox (migration `v8-notifications`).
extension SQLiteStore {
    /// Puts a notice into the outbox inside the caller's open transaction, so it commits or rolls back
    /// with the change it announces. A notice whose id is already there is kept as it was.
    static func enqueue(_ db: Database, _ notification: OutboxNotification) throws {
        try db.execute(
            sql: """
                INSERT INTO notification_outbox (id, recipient_kind, recipient_id, topic, subject, body, created_at, attempts, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT(id) DO NOTHING
                """,
            arguments: [
                notification.id, notification.recipient.kind.rawValue, notification.recipient.id, notification.topic, notification.subject,
                notification.body, notification.createdAt, notification.nextAttemptAt ?? notification.createdAt,
            ])
    }

    public func enqueueNotification(_ notification: OutboxNotification) throws {
        try db.write { db in try Self.enqueue(db, notification) }
    }

    public func notifications(for audience: NotificationAudience?, page: PageRequest) throws -> Page<OutboxNotification> {
        var query = Conditions()
        if let audience {
            var addressed = [("user", audience.user.rawValue)] + audience.roles.sorted { $0.rawValue < $1.rawValue }.map { ("role", $0.rawValue) }
            if let tenant = audience.tenant { addressed.append(("tenant", tenant.rawValue)) }
            query.add(
                "(" + addressed.map { _ in "(recipient_kind = ? AND recipient_id = ?)" }.joined(separator: " OR ") + ")",
                arguments: addressed.flatMap { [$0.0, $0.1] })
        }
        if let cursor = page.cursor { query.add("seq < ?", try cursor.integer(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT * FROM notification_outbox\(query.whereClause) ORDER BY seq DESC", query.arguments, page, key: { [String($0["seq"] as Int64)] }) {
                try Self.notification($0)
            }
        }
    }

    public func notification(_ id: String) throws -> OutboxNotification? {
        try db.read { db in try Row.fetchOne(db, sql: "SELECT * FROM notification_outbox WHERE id = ?", arguments: [id]).map(Self.notification) }
    }

    public func dueNotifications(at now: Double, limit: Int) throws -> [OutboxNotification] {
        try db.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM notification_outbox WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?",
                arguments: [now, limit]
            ).map(Self.notification)
        }
    }

    public func nextNotificationDue() throws -> Double? {
        try db.read { db in try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM notification_outbox WHERE next_attempt_at IS NOT NULL") }
    }

    public func recordNotificationAttempt(_ id: String, at: Double, error: String?, retryAt: Double?) throws {
        try db.write { db in
            if let error {
                try db.execute(
                    sql: """
                        UPDATE notification_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                        failed_at = CASE WHEN ? IS NULL THEN ? ELSE NULL END WHERE id = ? AND delivered_at IS NULL
                        """,
                    arguments: [error, retryAt, retryAt, at, id])
            } else {
                try db.execute(
                    sql: "UPDATE notification_outbox SET attempts = attempts + 1, delivered_at = ?, next_attempt_at = NULL WHERE id = ? AND delivered_at IS NULL",
                    arguments: [at, id])
            }
        }
    }

    private static func notification(_ row: Row) throws -> OutboxNotification {
        guard let kind = NotificationRecipient.Kind(rawValue: row["recipient_kind"]) else {
            throw ReservoirError(.unavailable, "unreadable notification_outbox row \(row["seq"] as Int64)")
        }
        var notification = OutboxNotification(
            id: row["id"], recipient: NotificationRecipient(kind: kind, id: row["recipient_id"]), topic: row["topic"], subject: row["subject"],
            body: row["body"], createdAt: row["created_at"])
        notification.attempts = row["attempts"]
        notification.nextAttemptAt = row["next_attempt_at"]
        notification.deliveredAt = row["delivered_at"]
        notification.failedAt = row["failed_at"]
        notification.lastError = row["last_error"]
        notification.state = notification.deliveredAt != nil ? .delivered : notification.failedAt != nil ? .failed : .pending
        return notification
    }
}
