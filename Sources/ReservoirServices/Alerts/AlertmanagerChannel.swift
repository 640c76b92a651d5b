import AsyncHTTPClient
import Foundation
import NIOCore
import ReservoirCore

/// The `alertmanager` notification channel: each alert notice (topic `alert.firing` or
/// `alert.resolved`) is POSTed to `{url}/api/v2/alerts` as one Alertmanager alert — labels `alertname`,
/// `severity`, `subject`, annotation `summary`, `startsAt`, and `endsAt` once resolved. Other notices
/// are not its business and count as delivered. Only a 2xx counts; a failure is retried like any notice.
public struct AlertmanagerChannel: NotificationChannel {
    let endpoint: String
    let timeout: TimeAmount
    let client: HTTPClient

    public init(url: String, timeoutSeconds: Double, client: HTTPClient = .shared) {
        endpoint = (url.hasSuffix("/") ? String(url.dropLast()) : url) + "/api/v2/alerts"
        timeout = .milliseconds(Int64(timeoutSeconds * 1_000))
        self.client = client
    }

    /// One alert as Alertmanager's API v2 takes it (`postableAlert`).
    struct Postable: Encodable {
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: String
        var endsAt: String?
    }

    static func postable(_ notice: OutboxNotification) throws -> Postable? {
        guard OutboxNotification.alertTopics.contains(notice.topic) else { return nil }
        let body = try JSONDecoder().decode(AlertNoticeBody.self, from: Data(notice.body.utf8))
        return Postable(
            labels: ["alertname": body.alertname, "severity": body.severity.rawValue, "subject": body.subject],
            annotations: ["summary": body.summary, "alert": body.alert], startsAt: body.startsAt, endsAt: body.endsAt)
    }

    public func deliver(_ notification: OutboxNotification) async throws {
        guard let alert = try Self.postable(notification) else { return }
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode([alert])))
        let response = try await client.execute(request, timeout: timeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw ReservoirError(.unavailable, "alertmanager \(endpoint) answered \(response.status.code)")
        }
    }
}
