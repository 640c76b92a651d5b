/// An idle service's confirmation with its owner (SPEC §5.7): operators ask, the owner answers keep or
/// release before the deadline; operators may shrink or reclaim once the owner released or the deadline
/// passed. Kept on the service (`InferenceService.idleConfirmation`), each step also an adjustment.
public struct IdleConfirmation: Codable, Hashable, Sendable {
    public enum Answer: String, Codable, Hashable, Sendable, CaseIterable { case keep, release }

    /// When the notice went out and who sent it (`user:ID`).
    public var askedAt: Double
    public var askedBy: String
    /// The owner's answer is due by then.
    public var deadline: Double
    /// What the rule saw when the confirmation was asked.
    public var verdict: IdleVerdict
    public var answer: Answer?
    public var answeredBy: String?
    public var answeredAt: Double?
    public var answerReason: String?

    public init(askedAt: Double, askedBy: String, deadline: Double, verdict: IdleVerdict) {
        self.askedAt = askedAt
        self.askedBy = askedBy
        self.deadline = deadline
        self.verdict = verdict
    }

    /// Whether operators may act now: the owner released, or the deadline passed (after a `keep` too:
    /// the decision is operations', with the owner's reason on record).
    public func allowsReclamation(at now: Double) -> Bool { answer == .release || now >= deadline }
}
