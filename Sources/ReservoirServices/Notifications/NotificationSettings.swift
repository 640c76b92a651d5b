/// Where notifications go (`notifications:` in the configuration file, docs/CONFIG.md). The log channel
/// always runs; the webhook runs when it has a URL.
public struct NotificationSettings: Codable, Hashable, Sendable {
    /// Real seconds between two looks at the outbox when nothing is due sooner.
    public var pollIntervalSeconds = 5.0
    public var webhook = WebhookSettings()

    public init() {}

    /// The time of Reservoir's clock after which a notice that failed its `attempts`-th try is tried
    /// again: `webhook.backoffSeconds` doubled per failed try, at most `webhook.maxBackoffSeconds`, with
    /// no jitter, so a test or an operator can say when the next try comes. Nil once the webhook's
    /// `maxAttempts` are spent: the notice is given up (kept, marked failed).
    public func retryTime(after attempts: Int, at now: Double) -> Double? {
        guard attempts < webhook.maxAttempts else { return nil }
        let doubling = Double(1 << min(max(attempts - 1, 0), 30))
        return now + min(webhook.backoffSeconds * doubling, webhook.maxBackoffSeconds)
    }
}

/// An HTTP receiver of notifications: each is POSTed as JSON with its id in `Idempotency-Key`.
public struct WebhookSettings: Codable, Hashable, Sendable {
    /// Empty: no webhook, the log only.
    public var url = ""
    /// Seconds a POST may take before it counts as failed.
    public var timeoutSeconds = 10.0
    /// Tries before a notice is given up.
    public var maxAttempts = 8
    /// Seconds before the second try; doubled for each further one.
    public var backoffSeconds = 30.0
    /// The longest wait between two tries.
    public var maxBackoffSeconds = 3_600.0

    public init() {}
}
