/// Which reviewers a request goes to (SPEC §5.4), chosen by the rules of the config file.
public enum ReviewTier: String, Codable, Hashable, Sendable, CaseIterable {
    /// Small standard requests: approved by Reservoir in the same call.
    case auto
    /// The tenant's manager: users with the approver role in the request's tenant.
    case manager
    /// HQ operations: approvers of no tenant, and operators.
    case hq
    /// The strategic reserve: the committee, needing `requiredApprovals` distinct approvals.
    case committee
    /// The green channel: a single emergency approver.
    case emergency

    /// Where an overdue review goes next (nil: nowhere higher; it stays overdue and visible).
    public var escalation: ReviewTier? {
        switch self {
        case .manager: .hq
        case .auto, .hq, .committee, .emergency: nil
        }
    }
}

/// Where a request is routed, why, and by when it must be decided.
public struct Routing: Codable, Hashable, Sendable {
    public var tier: ReviewTier
    /// The users who may decide it now (resolved when routed or escalated, so an inbox is a lookup).
    public var reviewers: [UserID]
    /// Distinct approvals needed (committee: N; every other tier: 1). One rejection decides.
    public var requiredApprovals: Int
    /// The review deadline on Reservoir's clock (one working day by default).
    public var dueAt: Double
    /// Which rule routed it, in words (`32 GPUs ≥ 4, the auto-approval limit`).
    public var reason: String
    /// Set when the deadline passed and the request moved up a tier (or was marked overdue in place).
    public var escalatedAt: Double?
    /// The tier it was routed to first, when escalated.
    public var escalatedFrom: ReviewTier?

    public init(tier: ReviewTier, reviewers: [UserID], requiredApprovals: Int = 1, dueAt: Double, reason: String) {
        self.tier = tier
        self.reviewers = reviewers
        self.requiredApprovals = requiredApprovals
        self.dueAt = dueAt
        self.reason = reason
    }
}

public enum ReviewVerdict: String, Codable, Hashable, Sendable, CaseIterable {
    case approve
    case approveWithChanges = "approve-with-changes"
    case reject
}

/// One reviewer's decision, always with a reason.
public struct Review: Codable, Hashable, Sendable {
    public var reviewer: UserID
    public var verdict: ReviewVerdict
    public var reason: String
    /// The changed terms (only with `approve-with-changes`).
    public var changes: AllocationTerms?
    public var at: Double

    public init(reviewer: UserID, verdict: ReviewVerdict, reason: String, changes: AllocationTerms? = nil, at: Double) {
        self.reviewer = reviewer
        self.verdict = verdict
        self.reason = reason
        self.changes = changes
        self.at = at
    }
}
