import ServiceLifecycle

/// The delivery worker: a pass over the outbox (`NotificationsContext.deliverDue`) whenever a notice is
/// due on Reservoir's clock, at least every `notifications.pollIntervalSeconds`. The channels are the
/// log and, when configured, the webhook. Stopping it between a send and its mark loses nothing: the
/// notice is still pending and is sent again, with the same id, after the restart.
public struct NotificationDeliveryService: Service {
    let reservoir: Reservoir
    let channels: [any NotificationChannel]

    public init(reservoir: Reservoir, channels: [any NotificationChannel]) {
        self.reservoir = reservoir
        self.channels = channels
    }

    /// The channels the configuration names: the log always, the webhook when it has a URL. (The
    /// Alertmanager is fed by the alert pass, `AlertmanagerFeed`, not through the outbox.)
    public static func configuredChannels(_ reservoir: Reservoir) -> [any NotificationChannel] {
        let webhook = reservoir.configuration.notifications.webhook
        return [LogChannel(logger: reservoir.logger)]
            + (webhook.url.isEmpty ? [] : [WebhookChannel(url: webhook.url, timeoutSeconds: webhook.timeoutSeconds)])
    }

    public func run() async throws {
        let notifications = reservoir.notifications
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await notifications.deliverDue(through: channels)
                } catch {
                    reservoir.logger.error("notification delivery: \(error)")
                }
                await notifications.deliveryWakeups.wait(upTo: notifications.secondsUntilNextDue())
            }
        }
    }
}
