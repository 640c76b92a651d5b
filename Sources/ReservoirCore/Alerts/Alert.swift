import Foundation

/// Where an alert is: its condition holds but not yet for its rule's `for` (pending), it fires, or it
/// fired and its condition no longer holds (resolved, kept as history). A pending alert whose condition
/// clears before it fires is dropped: it never was an alert.
public enum AlertState: String, Codable, Hashable, Sendable, CaseIterable {
    case pending, firing, resolved
}

/// One episode of a rule on a subject, from the moment its condition first held to its resolution.
/// `id` is stable (rule, subject, start), so the notices made from it are the same after a restart.
public struct Alert: Codable, Hashable, Sendable {
    public var id: String
    public var rule: AlertRule
    /// `ReservoirPoolSaturated`…: the `alertname` label.
    public var alertName: String
    public var subject: String
    public var severity: AlertSeverity
    public var state: AlertState
    /// When the condition first held (Unix seconds).
    public var since: Double
    public var firedAt: Double?
    public var resolvedAt: Double?
    /// The value when it last changed state (percent, or seconds for the queue wait), and the threshold crossed.
    public var value: Double
    public var threshold: Double
    /// One line in the operator's words: subject, value, threshold, what to do.
    public var summary: String

    public init(_ observation: AlertObservation, at now: Double) {
        id = "alert-\(observation.rule.rawValue)-\(observation.subject)-\(Int(now.rounded(.down)))"
        rule = observation.rule
        alertName = observation.rule.alertName
        subject = observation.subject
        severity = observation.rule.severity
        state = .pending
        since = now
        value = observation.value
        threshold = observation.threshold
        summary = Self.summary(observation)
    }

    /// The key an alert is tracked by: one open episode per rule and subject.
    public var key: AlertKey { AlertKey(rule: rule, subject: subject) }

    static func summary(_ o: AlertObservation) -> String {
        let figure: (Double) -> String = switch o.rule {
        case .queueWait: { "\(Int(($0 / 60).rounded())) min" }
        case .zeroBalance: { Money(Decimal($0)).rounded().text() }
        default: { "\(Int($0.rounded())) %" }
        }
        let comparison = switch o.rule {
        case .lowEfficiency, .poolUnderused: "below"
        case .zeroBalance: "at or below"
        default: "above"
        }
        return "\(o.subject): \(figure(o.value)), \(comparison) \(figure(o.threshold)) — \(o.rule.advice)"
    }
}

public struct AlertKey: Hashable, Sendable {
    public var rule: AlertRule
    public var subject: String

    public init(rule: AlertRule, subject: String) {
        self.rule = rule
        self.subject = subject
    }
}
