import AsyncHTTPClient
import Foundation
import NIOCore
import ReservoirCore

/// Keeps an Alertmanager told what fires (`POST {alerts.alertmanager.url}/api/v2/alerts`), the way
/// Alertmanager expects its clients to: after every alert pass, every firing alert is posted again with
/// `endsAt` a margin ahead of now, and each resolution once with `endsAt` = when it resolved.
/// Alertmanager ends an alert it stops hearing about at that `endsAt`, so it never resolves an alert that
/// still fires here (whatever its `resolve_timeout`), and one whose resolution was lost — Reservoir down,
/// Alertmanager restarted — ends by itself within the margin. These posts are not notices: the outbox
/// keeps one notice per firing and per resolution (log, webhook); a re-post adds nothing there.
public actor AlertmanagerFeed {
    let endpoint: String
    let timeout: TimeAmount
    let client: HTTPClient
    /// How far ahead of now a firing alert's `endsAt` lies: four pass intervals, as Prometheus gives its
    /// alerts four evaluation intervals. Three passes in a row may be late or fail to post (a slow pass, an
    /// Alertmanager restarting, a Reservoir restart) before Alertmanager lets a still-firing alert lapse;
    /// more would keep an alert Reservoir can no longer vouch for alive longer than needed.
    let margin: Double
    /// Resolutions not yet accepted (a post failed): sent again with the next pass until accepted, or
    /// until the margin has passed since they resolved — by then Alertmanager has ended them by itself.
    private var unsent: [Alert] = []

    public init(url: String, timeoutSeconds: Double, passIntervalSeconds: Double, client: HTTPClient = .shared) {
        endpoint = (url.hasSuffix("/") ? String(url.dropLast()) : url) + "/api/v2/alerts"
        timeout = .milliseconds(Int64(timeoutSeconds * 1_000))
        margin = 4 * passIntervalSeconds
        self.client = client
    }

    /// One alert as Alertmanager's API v2 takes it (`postableAlert`): labels `alertname`, `severity`,
    /// `subject` (they identify it), annotations `summary` and `alert` (the episode's id).
    struct Postable: Encodable {
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: String
        var endsAt: String

        init(_ alert: Alert, endsAt: Double) {
            labels = ["alertname": alert.alertName, "severity": alert.severity.rawValue, "subject": alert.subject]
            annotations = ["summary": alert.summary, "alert": alert.id]
            startsAt = InstantText.iso(alert.firedAt ?? alert.since)
            self.endsAt = InstantText.iso(endsAt)
        }
    }

    /// Posts the pass's new `resolved` alerts (with those a failed post left) and every `firing` one.
    /// Resolutions go first: Alertmanager identifies alerts by their labels, and an old episode's
    /// resolution read after a new episode of the same subject would end the new one.
    public func post(firing: [Alert], resolved: [Alert], now: Double) async throws {
        unsent = (unsent + resolved).filter { ($0.resolvedAt ?? now) + margin > now }
        let resolutions = unsent
        let alerts = resolutions.map { Postable($0, endsAt: $0.resolvedAt ?? now) } + firing.map { Postable($0, endsAt: now + margin) }
        guard !alerts.isEmpty else { return }
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(alerts)))
        let response = try await client.execute(request, timeout: timeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw ReservoirError(.unavailable, "alertmanager \(endpoint) answered \(response.status.code)")
        }
        let sent = Set(resolutions.map(\.id))
        unsent.removeAll { sent.contains($0.id) }
    }
}
