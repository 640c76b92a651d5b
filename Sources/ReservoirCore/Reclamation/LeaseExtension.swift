/// An owner's request to extend a grant's lease (SPEC §5.7: before expiry, with a reason, decided by
/// operations against current scarcity). Kept on the grant (`Grant.extensions`), newest last.
public struct LeaseExtension: Codable, Hashable, Sendable {
    public enum State: String, Codable, Hashable, Sendable, CaseIterable { case pending, approved, refused }

    /// 1, 2, … per grant.
    public var number: Int
    public var days: Double
    public var reason: String
    public var requestedBy: UserID
    public var requestedAt: Double
    public var state: State
    public var decidedBy: UserID?
    public var decidedAt: Double?
    public var decisionReason: String?

    public init(number: Int, days: Double, reason: String, requestedBy: UserID, requestedAt: Double) {
        self.number = number
        self.days = days
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.state = .pending
    }
}
