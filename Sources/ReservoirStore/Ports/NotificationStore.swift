import ReservoirCore

/// Whose notifications a reader sees: those addressed to the user, to its tenant, or to one of its roles.
public struct NotificationAudience: Hashable, Sendable {
    public var user: UserID
    public var tenant: TenantID?
    public var roles: Set<Role>

    public init(user: UserID, tenant: TenantID?, roles: Set<Role>) {
        self.user = user
        self.tenant = tenant
        self.roles = roles
    }
}

/// The notification outbox. Other contexts' writes put their notices into it inside their own
/// transaction (in `SQLiteStore`, `enqueue(_:_:)` on the open database), so a notice exists exactly
/// when its change does; the delivery worker then reads due rows and records each attempt.
public protocol NotificationStore: Sendable {
    /// Adds a notice on its own (a change that has no transaction of its own to share); a taken id is ignored.
    func enqueueNotification(_ notification: OutboxNotification) throws
    /// A page of notifications, newest first: all of them (nil) or those `audience` may see.
    func notifications(for audience: NotificationAudience?, page: PageRequest) throws -> Page<OutboxNotification>
    func notification(_ id: String) throws -> OutboxNotification?
    /// Pending notifications due by `now`, oldest first, at most `limit`.
    func dueNotifications(at now: Double, limit: Int) throws -> [OutboxNotification]
    /// When the earliest pending notification is due; nil when none is pending.
    func nextNotificationDue() throws -> Double?
    /// Records one attempt: delivered (`error` nil), retried at `retryAt`, or given up (`retryAt` nil).
    func recordNotificationAttempt(_ id: String, at: Double, error: String?, retryAt: Double?) throws
}
