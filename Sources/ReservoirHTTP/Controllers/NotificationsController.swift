import Hummingbird
import ReservoirCore
import ReservoirServices

/// Notifications: what the outbox holds for the caller.
struct NotificationsController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/notifications", "Notifications, newest first: a user's own, its tenant's and its roles' (operators: all), with their delivery state",
                action: .readNotifications, answers: .page(of: Components.outboxNotification), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page()
                return try Coding.page(try reservoir.notifications.notifications(page: page, by: p), for: r, page)
            },
        ]
    }
}
