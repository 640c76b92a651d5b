import Foundation

/// The notices a request change sends (SPEC §5.5: the applicant is told of every state change;
/// reviewers of what is routed to them). Written by the requests context in the change's transaction.
public enum RequestNotices {
    /// The notices for the request's latest transition: the applicant always; the reviewers when it was
    /// routed (or escalated to them). Ids derive from the request and its history length, so a retried
    /// write never announces one change twice.
    public static func announce(_ request: AllocationRequest, grant: Grant? = nil, reviewersToTell: [UserID]? = nil) -> [OutboxNotification] {
        guard let last = request.history.last else { return [] }
        let step = request.history.count
        var body: [String: String] = [
            "request": request.id.rawValue, "tenant": request.tenant.rawValue, "state": request.state.rawValue, "from": last.from.rawValue,
            "actor": last.actor, "reason": last.reason,
        ]
        if let grant { body["grant"] = grant.id.rawValue }
        if let routing = request.routing {
            body["tier"] = routing.tier.rawValue
            body["dueAt"] = String(routing.dueAt)
        }
        let text = OutboxNotification.body(body)
        // A step that keeps the state (an escalation) is announced as what it is, not as the state again.
        let topic = last.from == last.to ? "request.escalated" : "request.\(request.state.rawValue)"
        var notices = [OutboxNotification(
            id: "request-\(request.id)-\(step)-applicant", recipient: .user(request.applicant), topic: topic,
            subject: "request \(request.id) is \(request.state.rawValue): \(last.reason)", body: text, createdAt: last.at)]
        let reviewers = reviewersToTell ?? (request.state == .underReview ? request.routing?.reviewers ?? [] : [])
        // Reviewers told of a request that no longer awaits them (a withdrawal) learn that, not "awaits your review".
        let awaits = request.state.awaitsDecision
        for reviewer in reviewers where reviewer != request.applicant {
            notices.append(OutboxNotification(
                id: "request-\(request.id)-\(step)-review-\(reviewer)", recipient: .user(reviewer), topic: awaits ? "request.routed" : topic,
                subject: awaits
                    ? "request \(request.id) of \(request.tenant) awaits your review (\(request.routing?.reason ?? "routed"))"
                    : "request \(request.id) of \(request.tenant) is \(request.state.rawValue) and needs no review: \(last.reason)",
                body: text, createdAt: last.at))
        }
        return notices
    }
}
