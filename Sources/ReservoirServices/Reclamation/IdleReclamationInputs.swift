import ReservoirCore

/// `POST /v1/services/{id}/idle-confirmation/answer`: the owner keeps the service (saying why) or releases it.
public struct IdleAnswerInput: Codable, Sendable {
    public var answer: IdleConfirmation.Answer
    public var reason: String
}

/// `POST /v1/services/{id}/reclaim`: fewer replicas (`shrink`, with `replicas`) or none (`reclaim`).
public struct IdleReclaimInput: Codable, Sendable {
    public enum Action: String, Codable, Sendable, CaseIterable { case shrink, reclaim }
    public var action: Action
    public var replicas: Int?
    public var reason: String

    /// The replica count it asks for: a shrink must name it; a reclaim takes every replica.
    public func target() throws(ReservoirError) -> Int {
        switch action {
        case .reclaim:
            guard replicas == nil || replicas == 0 else { throw ReservoirError.invalid("replicas", "a reclaim takes every replica; use shrink to keep some") }
            return 0
        case .shrink:
            guard let replicas else { throw ReservoirError.invalid("replicas", "a shrink names the replicas to keep") }
            guard replicas >= 1 else { throw ReservoirError.invalid("replicas", "a shrink keeps at least 1 replica; use reclaim to take all") }
            return replicas
        }
    }
}
