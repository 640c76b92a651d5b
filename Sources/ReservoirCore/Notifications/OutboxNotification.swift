import Foundation

/// Who a notification is for: one user, everyone of a tenant, or everyone holding a role.
public struct NotificationRecipient: Codable, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable { case user, tenant, role }
    public var kind: Kind
    public var id: String

    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }

    public static func user(_ id: UserID) -> Self { Self(kind: .user, id: id.rawValue) }
    public static func tenant(_ id: TenantID) -> Self { Self(kind: .tenant, id: id.rawValue) }
    public static func role(_ role: Role) -> Self { Self(kind: .role, id: role.rawValue) }

    public var description: String { "\(kind.rawValue):\(id)" }
}

/// Where a notification is in its delivery.
public enum NotificationState: String, Codable, Hashable, Sendable, CaseIterable {
    /// Not yet acknowledged by every channel; tried again at `nextAttemptAt`.
    case pending
    /// Every channel acknowledged it (the webhook answered 2xx).
    case delivered
    /// Given up after the channel's maximum attempts; kept, with its last error, for an operator to see.
    case failed
}

/// One row of the notification outbox. It is written in the same transaction as the change it
/// announces, so a change is never committed without its notice nor announced without being committed;
/// the delivery worker sends it afterwards. `id` is stable across retries and restarts: a receiver
/// that deduplicates by it sees each notification exactly once (delivery itself is at-least-once).
public struct OutboxNotification: Codable, Hashable, Sendable {
    public var id: String
    public var recipient: NotificationRecipient
    /// What happened, dotted (`service.scaled`); receivers route on it.
    public var topic: String
    /// One line in the operator's words.
    public var subject: String
    /// The details as a JSON object (text).
    public var body: String
    public var createdAt: Double
    /// Tries so far (a delivered notice counts its successful one).
    public var attempts: Int
    /// Kept beside the times below so a reader (the API, a receiver) need not derive it.
    public var state: NotificationState
    /// When the worker tries next; nil once delivered or given up.
    public var nextAttemptAt: Double?
    public var deliveredAt: Double?
    public var failedAt: Double?
    public var lastError: String?

    public init(id: String, recipient: NotificationRecipient, topic: String, subject: String, body: String, createdAt: Double) {
        self.id = id
        self.recipient = recipient
        self.topic = topic
        self.subject = subject
        self.body = body
        self.createdAt = createdAt
        self.attempts = 0
        self.state = .pending
        self.nextAttemptAt = createdAt
    }
}

extension OutboxNotification {
    /// The notice of a scaling of a service's replicas (by the autoscaler or by hand), for its tenant;
    /// a deploy or a delete is not announced: whoever did it asked for it. Every step of an idle
    /// reclamation (asked, answered, reclaimed) is. Nil for any other adjustment.
    public static func serviceScaled(_ adjustment: ServiceAdjustment) -> OutboxNotification? {
        // The steps of an idle reclamation are announced whether or not they change replicas: the owner must hear them.
        let idleStep: Set<AdjustmentKind> = [.idleConfirmationAsked, .idleConfirmationAnswered, .reclaimed]
        guard idleStep.contains(adjustment.kind) || (adjustment.before != adjustment.after && [.scaledOut, .scaledIn, .manual].contains(adjustment.kind))
        else { return nil }
        let body: [String: String] = [
            "service": adjustment.service.rawValue, "before": String(adjustment.before), "after": String(adjustment.after),
            "actor": adjustment.actor, "tier": String(adjustment.tier.rawValue), "kind": adjustment.kind.rawValue, "reason": adjustment.reason,
        ]
        let text = Self.body(body)
        return OutboxNotification(
            id: "service-adjustment-\(adjustment.id)", recipient: .tenant(adjustment.tenant),
            topic: idleStep.contains(adjustment.kind) ? "service.\(adjustment.kind.rawValue)" : "service.scaled",
            subject: idleStep.contains(adjustment.kind) && adjustment.before == adjustment.after
                ? "service \(adjustment.service): \(adjustment.kind.rawValue) (\(adjustment.reason))"
                : "service \(adjustment.service) scaled from \(adjustment.before) to \(adjustment.after) replicas (\(adjustment.reason))",
            body: text, createdAt: adjustment.at)
    }
}

extension OutboxNotification {
    /// A notice's details as its `body` text: JSON with sorted keys, so the same details are the same text
    /// each time a notice is made (a notice made again after a crash is byte for byte the first).
    public static func body(_ details: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? String(decoding: encoder.encode(details), as: UTF8.self)) ?? "{}"
    }
}
