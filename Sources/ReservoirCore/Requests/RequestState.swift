/// Where a resource request is in its life cycle (SPEC §5). Kept as an explicit state machine: every
/// change goes through `canTransition(to:)`, so a second decision on a decided request, or a grant of a
/// rejected one, is a 409 rather than a silent overwrite.
///
///     submitted → under-review → approved | approved-with-changes | rejected
///     submitted → approved (auto-approval in the same call) | rejected (a compliance rule refuses it)
///     approved | approved-with-changes → granted → active → expired | returned | reclaimed
///     granted → expired | returned | reclaimed (a grant never used)
///     submitted | under-review → withdrawn (the applicant takes it back)
public enum RequestState: String, Codable, Hashable, Sendable, CaseIterable {
    /// Accepted and stored; estimation and feasibility are attached in the same call.
    case submitted
    /// Routed to its reviewers; waiting for their decisions.
    case underReview = "under-review"
    case approved
    /// Approved with a configuration the reviewer changed (fewer GPUs, another model, a shorter window).
    case approvedWithChanges = "approved-with-changes"
    case rejected
    /// The approval became a grant, provisioned on the engine.
    case granted
    /// Work runs under the grant.
    case active
    /// The grant's window ended.
    case expired
    /// The owner gave the capacity back.
    case returned
    /// Reservoir took the capacity back (idle, expiry after notices, forced).
    case reclaimed
    /// The applicant took the request back before a decision.
    case withdrawn

    /// States no transition leaves.
    public var isFinal: Bool { [.rejected, .expired, .returned, .reclaimed, .withdrawn].contains(self) }

    /// Whether reviewers may still decide it.
    public var awaitsDecision: Bool { self == .submitted || self == .underReview }

    /// States that hold a grant.
    public var holdsGrant: Bool { self == .granted || self == .active }

    public func canTransition(to next: RequestState) -> Bool {
        switch (self, next) {
        case (.submitted, .underReview), (.submitted, .approved), (.submitted, .approvedWithChanges), (.submitted, .rejected),
            (.submitted, .withdrawn):
            true
        case (.underReview, .approved), (.underReview, .approvedWithChanges), (.underReview, .rejected), (.underReview, .withdrawn):
            true
        case (.approved, .granted), (.approvedWithChanges, .granted):
            true
        case (.granted, .active), (.granted, .expired), (.granted, .returned), (.granted, .reclaimed):
            true
        case (.active, .expired), (.active, .returned), (.active, .reclaimed):
            true
        default:
            false
        }
    }
}
