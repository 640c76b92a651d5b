import ReservoirCore
import ReservoirStore

/// Escalation (SPEC §5.4): a routed request nobody decided within its deadline moves from the tenant's
/// manager to HQ operations, or — already at the top — is marked overdue where it is. Each step is one
/// transaction with its history entry, audit entry (`request.escalate`, by `system:escalation`) and
/// notices (the applicant, and the reviewers now expected to decide).
extension RequestsContext {
    /// One pass on Reservoir's clock; returns the requests it escalated or marked overdue.
    @discardableResult
    public func escalateOverdue() throws -> [AllocationRequest] {
        let now = clock()
        let overdue = try store.overdueRequests(at: now)
        guard !overdue.isEmpty else { return [] }
        let users = try store.users(tenant: nil)
        var escalated: [AllocationRequest] = []
        for candidate in overdue {
            do {
                let stored = try store.updateRequest(candidate.id, action: "escalate", by: system("escalation")) { request in
                    // Re-read inside the transaction: a decision or an earlier pass may have come first.
                    guard let outcome = ReviewEscalation.escalate(&request, rules: approvalRules, users: users, at: now) else { throw NothingToEscalate() }
                    let tell: [UserID]
                    switch outcome {
                    case .escalated(_, let reviewers), .markedOverdue(let reviewers): tell = reviewers
                    }
                    return RequestChangeEffects(notices: RequestNotices.announce(request, reviewersToTell: tell))
                }
                escalated.append(stored)
                logger.info("review overdue", metadata: ["request": "\(stored.id)", "tier": "\(stored.routing?.tier.rawValue ?? "-")", "reason": "\(stored.history.last?.reason ?? "")"])
            } catch is NothingToEscalate {
                continue
            }
        }
        if !escalated.isEmpty { notificationWakeups.poke() }
        return escalated
    }
}

/// The request was decided or escalated between the read and the write: nothing to store.
private struct NothingToEscalate: Error {}
