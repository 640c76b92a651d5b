import Foundation

/// What happens to a routed request nobody decided by its deadline (SPEC §5.4): a manager-tier review
/// moves up to HQ operations with a fresh deadline; a request already at the top (HQ, committee,
/// emergency) stays where it is, marked overdue so it shows in every list. Pure: the escalation
/// service reads the overdue requests, applies this and stores the result with its notices.
public enum ReviewEscalation {
    public enum Outcome: Hashable, Sendable {
        /// Moved up a tier; `reviewers` are the new reviewers, to be told.
        case escalated(to: ReviewTier, reviewers: [UserID])
        /// Nowhere higher to go: marked overdue in place (its reviewers are reminded).
        case markedOverdue(reviewers: [UserID])
    }

    /// Escalates `request` if it is overdue at `now` and was not escalated yet; returns nil otherwise
    /// (decided, not due, already escalated). The step is kept in the request's history (state
    /// unchanged, actor `system:escalation`) so the timeline and the notices show it.
    public static func escalate(
        _ request: inout AllocationRequest, rules: ApprovalRouting.Rules, users: [User], at now: Double
    ) -> Outcome? {
        guard request.isOverdue(at: now), var routing = request.routing, routing.escalatedAt == nil else { return nil }
        let late = "no decision by \(InstantText.iso(routing.dueAt)) from \(routing.tier.rawValue)"
        let outcome: Outcome
        let reason: String
        let hq = ApprovalRouting.hq(users).filter { $0 != request.applicant }
        if let next = routing.tier.escalation, next == .hq, !hq.isEmpty {
            routing.escalatedFrom = routing.tier
            routing.tier = next
            routing.reviewers = hq
            routing.requiredApprovals = 1
            routing.dueAt = WorkingDays.adding(rules.reviewDeadlineWorkingDays, to: now)
            routing.reason = "\(late): escalated to HQ operations"
            reason = routing.reason
            outcome = .escalated(to: next, reviewers: hq)
        } else {
            reason = "\(late): overdue"
            outcome = .markedOverdue(reviewers: routing.reviewers)
        }
        routing.escalatedAt = now
        request.routing = routing
        request.history.append(RequestTransition(from: request.state, to: request.state, at: now, actor: "system:escalation", reason: reason))
        request.updatedAt = now
        return outcome
    }
}
