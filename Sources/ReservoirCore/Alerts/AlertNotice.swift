import Foundation

/// The details of an alert notice (its `body`): the labels Alertmanager would group it by, when it
/// fired and resolved, its value and threshold — what a webhook receiver needs to route it.
public struct AlertNoticeBody: Codable, Hashable, Sendable {
    public var alert: String
    public var alertname: String
    public var severity: AlertSeverity
    public var subject: String
    public var state: AlertState
    /// ISO 8601: when it fired.
    public var startsAt: String
    /// ISO 8601: when it resolved; absent while it fires.
    public var endsAt: String?
    public var summary: String
    public var value: Double
    public var threshold: Double

    public init(_ alert: Alert) {
        self.alert = alert.id
        alertname = alert.alertName
        severity = alert.severity
        subject = alert.subject
        state = alert.state
        startsAt = InstantText.iso(alert.firedAt ?? alert.since)
        endsAt = alert.resolvedAt.map(InstantText.iso)
        summary = alert.summary
        value = alert.value
        threshold = alert.threshold
    }
}

extension OutboxNotification {
    /// The notice of an alert that fired or resolved, for the operators. Its id is the alert's id and the
    /// state, so a pass repeated after a crash makes the same notice and the outbox keeps one.
    public static func alert(_ alert: Alert) -> OutboxNotification? {
        guard alert.state != .pending else { return nil }
        let state = alert.state.rawValue
        return OutboxNotification(
            id: "\(alert.id)-\(state)", recipient: .role(.operator_), topic: "alert.\(state)",
            subject: (alert.state == .firing ? "[\(alert.severity.rawValue)] " : "[resolved] ") + alert.summary,
            body: body(AlertNoticeBody(alert)), createdAt: alert.resolvedAt ?? alert.firedAt ?? alert.since)
    }
}
