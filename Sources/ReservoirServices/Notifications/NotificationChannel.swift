import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ReservoirCore

/// A way a notification leaves Reservoir. `deliver` returns once the receiver acknowledged it and
/// throws otherwise (the notice is then tried again later, as a whole).
public protocol NotificationChannel: Sendable {
    func deliver(_ notification: OutboxNotification) async throws
}

/// Writes each notification to the server log: always on, never fails.
public struct LogChannel: NotificationChannel {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func deliver(_ notification: OutboxNotification) async throws {
        logger.info(
            "notification \(notification.id) to \(notification.recipient) [\(notification.topic)]: \(notification.subject)",
            metadata: ["notification": "\(notification.id)", "topic": "\(notification.topic)"])
    }
}

/// POSTs each notification as JSON to one URL; only a 2xx answer counts as delivered. The id goes in
/// `Idempotency-Key` (and the body), so a receiver can drop a repeat after a retry or a restart.
public struct WebhookChannel: NotificationChannel {
    let url: String
    let timeout: TimeAmount
    let client: HTTPClient

    public init(url: String, timeoutSeconds: Double, client: HTTPClient = .shared) {
        self.url = url
        self.timeout = .milliseconds(Int64(timeoutSeconds * 1_000))
        self.client = client
    }

    public func deliver(_ notification: OutboxNotification) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: notification.id)
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(notification)))
        let response = try await client.execute(request, timeout: timeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw ReservoirError(.unavailable, "webhook \(url) answered \(response.status.code)")
        }
    }
}
