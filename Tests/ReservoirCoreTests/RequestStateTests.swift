import ReservoirCore
import Testing

/// The request life cycle as an explicit state machine (SPEC §5): exactly these transitions exist.
@Suite("Request state machine")
struct RequestStateTests {
    /// Every allowed transition, written out: the table the state machine must match, pair for pair.
    static let allowed: Set<[RequestState]> = [
        [.submitted, .underReview], [.submitted, .approved], [.submitted, .approvedWithChanges], [.submitted, .rejected], [.submitted, .withdrawn],
        [.underReview, .approved], [.underReview, .approvedWithChanges], [.underReview, .rejected], [.underReview, .withdrawn],
        [.approved, .granted], [.approvedWithChanges, .granted],
        [.granted, .active], [.granted, .expired], [.granted, .returned], [.granted, .reclaimed],
        [.active, .expired], [.active, .returned], [.active, .reclaimed],
    ]

    @Test("every pair of states: allowed exactly when listed")
    func everyPair() {
        for from in RequestState.allCases {
            for to in RequestState.allCases {
                #expect(from.canTransition(to: to) == Self.allowed.contains([from, to]), "\(from.rawValue) → \(to.rawValue)")
            }
        }
    }

    @Test("final states have no way out; a decided request cannot be decided again or withdrawn")
    func forbidden() {
        for state in RequestState.allCases where state.isFinal {
            #expect(RequestState.allCases.allSatisfy { !state.canTransition(to: $0) }, "\(state.rawValue)")
        }
        #expect(!RequestState.approved.canTransition(to: .rejected))
        #expect(!RequestState.rejected.canTransition(to: .granted))
        #expect(!RequestState.granted.canTransition(to: .withdrawn))
        #expect(!RequestState.underReview.canTransition(to: .granted))
        #expect(!RequestState.submitted.canTransition(to: .active))
    }

    @Test("transition records who, when and why, and refuses a forbidden step with a 409 naming the state")
    func transitionRecords() throws {
        var request = AllocationRequest(
            id: "req-000001", tenant: "alpha", applicant: "alice", form: RequestForm(kind: .training, category: .fineTuning),
            asked: AllocationTerms(gpus: 2, durationHours: 24), submittedAt: 100)
        try request.transition(to: .underReview, at: 110, actor: "system:routing", reason: "routed")
        try request.transition(to: .rejected, at: 120, actor: "user:boss", reason: "not now")
        #expect(request.history.map(\.to) == [.underReview, .rejected] && request.history.last?.actor == "user:boss" && request.updatedAt == 120)
        #expect(throws: ReservoirError(.conflict, field: "state", "request req-000001 is rejected and cannot become granted")) {
            try request.transition(to: .granted, at: 130, actor: "user:boss", reason: "changed my mind")
        }
        #expect(request.state == .rejected && request.history.count == 2)
        #expect(request.id.grantID == "grant-000001" && RequestID.numbered(42) == "req-000042")
    }
}
