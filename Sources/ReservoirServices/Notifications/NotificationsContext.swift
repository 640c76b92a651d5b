import ReservoirCore
import ReservoirStore

/// Notifications: who reads which, and one delivery pass over the outbox. Notices are written by the
/// contexts whose changes they announce, in the same transaction (see `NotificationStore`); this
/// context only reads them and records their delivery.
public struct NotificationsContext: ApplicationContext {
    public typealias Store = NotificationStore
    let store: any Store
    public let runtime: Runtime
    /// Wakes the delivery worker early: every context that commits notices pokes it (the runtime's
    /// `notificationWakeups`), as may a test.
    public var deliveryWakeups: Wakeups { runtime.notificationWakeups }

    /// A page of the notifications the caller may read, newest first: operators all, everyone else
    /// those addressed to itself, its tenant or one of its roles.
    public func notifications(page: PageRequest, by principal: Principal) throws -> Page<OutboxNotification> {
        try access.requireAny(principal, .readNotifications)
        let audience = access.scope(principal, .readNotifications) == .anyTenant
            ? nil : NotificationAudience(user: principal.user.id, tenant: principal.tenant, roles: principal.user.roles)
        return try store.notifications(for: audience, page: page)
    }

    /// One pass: every notice due now goes to every channel in turn; it is marked delivered only when
    /// all of them acknowledged it, so a crash between the send and the mark sends it again (with the
    /// same id) rather than losing it. A failure schedules the next try per `retryTime`, or gives up.
    /// Returns how many notices were delivered.
    @discardableResult
    public func deliverDue(through channels: [any NotificationChannel], limit: Int = 100) async throws -> Int {
        var delivered = 0
        for notice in try store.dueNotifications(at: clock(), limit: limit) {
            do {
                for channel in channels { try await channel.deliver(notice) }
                try store.recordNotificationAttempt(notice.id, at: clock(), error: nil, retryAt: nil)
                delivered += 1
            } catch {
                let now = clock()
                let retryAt = configuration.notifications.retryTime(after: notice.attempts + 1, at: now)
                try store.recordNotificationAttempt(notice.id, at: now, error: "\(error)", retryAt: retryAt)
                if retryAt == nil {
                    logger.warning("notification \(notice.id) given up after \(notice.attempts + 1) attempts: \(error)")
                }
            }
        }
        return delivered
    }

    /// Real seconds until the worker should look again: the earliest due notice on Reservoir's clock,
    /// at most the poll interval.
    func secondsUntilNextDue() -> Double {
        let poll = configuration.notifications.pollIntervalSeconds
        guard let due = try? store.nextNotificationDue() else { return poll }
        return min(poll, max(0, due - clock()))
    }
}
