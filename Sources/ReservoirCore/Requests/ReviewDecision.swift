import Foundation

/// What a reviewer may change when approving with changes (SPEC §5.4: fewer GPUs, another model, a
/// shorter window, another pool). Every field is optional: the rest stays as asked.
public struct TermChanges: Codable, Hashable, Sendable {
    public var pool: PoolID?
    public var model: String?
    public var gpus: Int?
    public var durationHours: Double?

    public init(pool: PoolID? = nil, model: String? = nil, gpus: Int? = nil, durationHours: Double? = nil) {
        self.pool = pool
        self.model = model
        self.gpus = gpus
        self.durationHours = durationHours
    }

    public var isEmpty: Bool { pool == nil && model == nil && gpus == nil && durationHours == nil }

    /// `terms` with these changes applied.
    public func applied(to terms: AllocationTerms) -> AllocationTerms {
        AllocationTerms(
            pool: pool ?? terms.pool, model: model ?? terms.model, gpus: gpus ?? terms.gpus, durationHours: durationHours ?? terms.durationHours)
    }

    /// Every bad change against the asked `terms`: a reviewer may shrink a request, never grow it
    /// (a larger one is a new request that is routed on its own size).
    public func problems(against terms: AllocationTerms) -> [ReservoirError] {
        var problems: [ReservoirError] = []
        if let gpus {
            if gpus < 1 { problems.append(.invalid("changes.gpus", "must be at least 1, got \(gpus)")) }
            if gpus > terms.gpus { problems.append(.invalid("changes.gpus", "\(gpus) is more than the \(terms.gpus) asked; a reviewer may only shrink a request")) }
        }
        if let durationHours {
            if !Bounds.requestHours.contains(durationHours) || !durationHours.isFinite {
                problems.append(.invalid("changes.durationHours", "must be within \(Bounds.requestHours), got \(durationHours)"))
            } else if let asked = terms.durationHours, durationHours > asked {
                problems.append(.invalid("changes.durationHours", "\(durationHours) h is longer than the \(asked) h asked; a reviewer may only shorten the window"))
            }
        }
        if let model, model.isEmpty { problems.append(.invalid("changes.model", "must name a catalog GPU model")) }
        if let pool, pool.rawValue.isEmpty { problems.append(.invalid("changes.pool", "must name a pool")) }
        return problems
    }
}

/// The review rules (SPEC §5.4) as a pure function: who may decide a routed request, what one review
/// does to it (a committee needs N distinct approvals, one rejection decides), and the terms approved.
/// The requests context checks the catalog, the pool and the tenant, then stores what this returns.
public enum ReviewDecision {
    public enum Outcome: Hashable, Sendable {
        /// Recorded; the committee still needs more approvals.
        case pending(approvals: Int, required: Int)
        /// Decided: `approved` or `approved-with-changes` on these terms (the grant follows).
        case approved(AllocationTerms, withChanges: Bool)
        case rejected
    }

    /// Checks `review` against the request's routing and records it on `request`: the review is
    /// appended and, when it decides, the request moves to approved / approved-with-changes / rejected.
    /// `isOperator`: operators may decide HQ-tier requests even when the routing predates them.
    /// Throws (leaving `request` unchanged) for a decided request (409), a reviewer it is not routed to
    /// (403), a missing reason or bad changes (400), a second review by the same reviewer (409).
    public static func record(_ review: Review, on request: inout AllocationRequest, isOperator: Bool) throws(ReservoirError) -> Outcome {
        guard request.state.awaitsDecision, let routing = request.routing else {
            throw ReservoirError(.conflict, field: "state", "request \(request.id) is \(request.state.rawValue): it was decided already")
        }
        guard routing.reviewers.contains(review.reviewer) || (routing.tier == .hq && isOperator) else {
            throw ReservoirError(
                .permissionDenied, "request \(request.id) is routed to \(routing.tier.rawValue) (\(names(routing.reviewers))), not to \(review.reviewer)")
        }
        guard review.reviewer != request.applicant else {
            throw ReservoirError(.permissionDenied, "\(review.reviewer) applied for request \(request.id) and cannot review it")
        }
        if request.reviews.contains(where: { $0.reviewer == review.reviewer }) {
            throw ReservoirError(.conflict, field: "reviewer", "\(review.reviewer) already reviewed request \(request.id)")
        }
        let reason = review.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ReservoirError.invalid("reason", "a review needs a reason") }
        switch review.verdict {
        case .approveWithChanges:
            guard let changes = review.changes, changes != request.asked else {
                throw ReservoirError.invalid("changes", "approve-with-changes needs terms that differ from those asked")
            }
        case .approve, .reject:
            if review.changes != nil {
                throw ReservoirError.invalid("changes", "only approve-with-changes carries changed terms")
            }
        }
        var recorded = review
        recorded.reason = reason
        var next = request
        next.reviews.append(recorded)
        let actor = "user:\(review.reviewer)"
        if review.verdict == .reject {
            try next.transition(to: .rejected, at: review.at, actor: actor, reason: reason)
            request = next
            return .rejected
        }
        // Before a decision every recorded review is an approval (a rejection decides at once).
        let approvals = next.reviews
        guard approvals.count >= routing.requiredApprovals else {
            request = next
            return .pending(approvals: approvals.count, required: routing.requiredApprovals)
        }
        // The latest change wins: each reviewer saw the terms the earlier ones changed.
        let changed = approvals.last(where: { $0.changes != nil })?.changes
        try next.transition(to: changed == nil ? .approved : .approvedWithChanges, at: review.at, actor: actor, reason: reason)
        next.approved = changed ?? request.asked
        request = next
        return .approved(next.approved ?? request.asked, withChanges: changed != nil)
    }

    private static func names(_ users: [UserID]) -> String {
        users.isEmpty ? "nobody yet" : users.map(\.rawValue).joined(separator: ", ")
    }
}
