import ReservoirCore
import ReservoirStore

/// What a reviewer sends (`POST /v1/requests/{id}/reviews`): a verdict, always a reason, and for
/// `approve-with-changes` the terms changed (the rest stays as asked).
public struct ReviewInput: Codable, Hashable, Sendable {
    public var verdict: ReviewVerdict
    public var reason: String
    public var changes: TermChanges?

    public init(verdict: ReviewVerdict, reason: String, changes: TermChanges? = nil) {
        self.verdict = verdict
        self.reason = reason
        self.changes = changes
    }
}

/// Reviews (SPEC §5.4): a reviewer the request is routed to approves, approves with changed terms or
/// rejects, with a reason. An approval that decides drafts the grant and stores request, grant, notices
/// and audit entry in one transaction, so "approved" and "granted" are never seen apart.
extension RequestsContext {
    /// Records `input` on request `id` by `principal`. Refused: a request the caller can neither read
    /// nor is routed (404), a caller it is not routed to (403), a decided request or a tenant disabled or
    /// deleted since (409), a missing reason or bad changes (400, every bad field named). Nothing is
    /// stored when refused.
    public func review(_ id: RequestID, _ input: ReviewInput, by principal: Principal) throws -> RequestReply {
        try access.requireAny(principal, .reviewRequests)
        let current = try request(id, by: principal).request
        try InputLimits.text(input.reason, field: "reason")
        guard let owner = try store.tenants().first(where: { $0.id == current.tenant }) else {
            throw ReservoirError(.conflict, field: "tenant", "tenant \(current.tenant) of request \(id) was deleted; the request cannot be decided")
        }
        guard !owner.isDisabled else {
            throw ReservoirError(.conflict, field: "tenant", "tenant \(current.tenant) of request \(id) is disabled; enable it before deciding")
        }
        let inventory = try store.inventory()
        let changed = try input.changes.map { try changedTerms($0, asked: current.asked, inventory: inventory) }
        let now = clock()
        let isOperator = principal.user.roles.contains(.operator_)
        var granted: Grant?
        var outcome = ReviewDecision.Outcome.rejected
        let stored = try store.updateRequest(id, action: "review", by: attribution(principal)) { request in
            let review = Review(reviewer: principal.user.id, verdict: input.verdict, reason: input.reason, changes: changed, at: now)
            outcome = try ReviewDecision.record(review, on: &request, isOperator: isOperator)
            switch outcome {
            case .pending:
                return RequestChangeEffects()
            case .rejected:
                return RequestChangeEffects(notices: RequestNotices.announce(request))
            case .approved(let terms, _):
                var notices = RequestNotices.announce(request)
                let grant = try GrantDraft.make(
                    for: request, terms: terms, approvedBy: principal.actor, at: now, inventory: inventory, preferred: request.feasibility?.pool)
                request.approved = AllocationTerms(pool: grant.pool, model: grant.model, gpus: terms.gpus, durationHours: terms.durationHours)
                request.grant = grant.id
                try request.transition(to: .granted, at: now, actor: principal.actor, reason: "grant \(grant.id) on pool \(grant.pool)")
                notices += RequestNotices.announce(request, grant: grant)
                granted = grant
                return RequestChangeEffects(grant: grant, notices: notices)
            }
        }
        notificationWakeups.poke()
        if granted != nil {
            provisioningWakeups.poke()
            wakeups.poke()
        }
        logger.info("request reviewed", metadata: ["request": "\(id)", "reviewer": "\(principal.user.id)", "verdict": "\(input.verdict.rawValue)", "state": "\(stored.state.rawValue)"])
        let message: String
        if case .pending(let approvals, let required) = outcome {
            let waiting = (stored.routing?.reviewers ?? []).filter { r in !stored.reviews.contains { $0.reviewer == r } }.map(\.rawValue)
            message = "approval \(approvals) of \(required) recorded; waiting for \(waiting.joined(separator: ", "))"
        } else {
            message = Self.outcome(stored, grant: granted)
        }
        return RequestReply(request: RequestView(stored, at: now), grant: granted, message: message)
    }

    /// The asked terms with a reviewer's changes, every bad change named: only shrinking, a catalog
    /// model (canonical name), a pool that exists and has that model.
    private func changedTerms(_ changes: TermChanges, asked: AllocationTerms, inventory: Inventory) throws -> AllocationTerms {
        var problems = changes.problems(against: asked)
        var canonical = changes
        if let model = changes.model, !model.isEmpty {
            if let name = try store.catalog().canonicalName(model) { canonical.model = name } else {
                problems.append(.invalid("changes.model", "'\(model)' is not a GPU model of the catalog"))
            }
        }
        let terms = canonical.applied(to: asked)
        if let pool = terms.pool, changes.pool != nil || changes.model != nil {
            let models = Self.models(of: inventory)
            if let inPool = models[pool] {
                if let model = terms.model, problems.allSatisfy({ $0.field != "changes.model" }), !inPool.contains(model) {
                    problems.append(.invalid(changes.pool != nil ? "changes.pool" : "changes.model", "pool \(pool) has no \(model)"))
                }
            } else {
                problems.append(.invalid("changes.pool", "no pool \(pool)"))
            }
        }
        try ReservoirError.throwAll(problems)
        return terms
    }
}
