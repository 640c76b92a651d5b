import ReservoirCore
import Testing

/// A request routed to `routing`, as intake leaves it.
func underReview(_ routing: Routing, gpus: Int = 16, hours: Double? = 240) throws -> AllocationRequest {
    var request = routedRequest(gpus: gpus, hours: hours)
    request.routing = routing
    try request.transition(to: .underReview, at: fridayMorning, actor: "user:alice", reason: routing.reason)
    return request
}

let managerRouting = Routing(tier: .manager, reviewers: ["mgr1"], dueAt: fridayMorning + 86_400, reason: "16 GPUs ≥ 4")
let committeeRouting = Routing(tier: .committee, reviewers: ["c1", "c2", "c3"], requiredApprovals: 2, dueAt: fridayMorning + 86_400, reason: "reserve")

@Suite("Review decisions")
struct ReviewDecisionTests {
    let later = fridayMorning + 3600

    func review(_ who: UserID, _ verdict: ReviewVerdict, _ reason: String = "fits the plan", changes: AllocationTerms? = nil) -> Review {
        Review(reviewer: who, verdict: verdict, reason: reason, changes: changes, at: later)
    }

    @Test func theManagerApprovesAsAsked() throws {
        var request = try underReview(managerRouting)
        let outcome = try ReviewDecision.record(review("mgr1", .approve), on: &request, isOperator: false)
        #expect(outcome == .approved(request.asked, withChanges: false))
        #expect(request.state == .approved)
        #expect(request.approved == request.asked)
        #expect(request.history.last?.actor == "user:mgr1")
    }

    @Test func approvalWithChangesGrantsTheChangedTerms() throws {
        var request = try underReview(managerRouting)
        let changed = TermChanges(model: "H100-80GB", gpus: 8, durationHours: 120).applied(to: request.asked)
        let outcome = try ReviewDecision.record(review("mgr1", .approveWithChanges, changes: changed), on: &request, isOperator: false)
        #expect(outcome == .approved(AllocationTerms(pool: "a100", model: "H100-80GB", gpus: 8, durationHours: 120), withChanges: true))
        #expect(request.state == .approvedWithChanges)
    }

    @Test func aRejectionDecidesWithItsReason() throws {
        var request = try underReview(managerRouting)
        #expect(try ReviewDecision.record(review("mgr1", .reject, "  no budget this quarter "), on: &request, isOperator: false) == .rejected)
        #expect(request.state == .rejected)
        #expect(request.history.last?.reason == "no budget this quarter")
    }

    @Test func aSecondDecisionIsAConflictAndChangesNothing() throws {
        var request = try underReview(managerRouting)
        _ = try ReviewDecision.record(review("mgr1", .approve), on: &request, isOperator: false)
        let before = request
        #expect(throws: ReservoirError(.conflict, field: "state", "request r1 is approved: it was decided already")) {
            try ReviewDecision.record(review("mgr1", .reject), on: &request, isOperator: false)
        }
        #expect(request == before)
    }

    @Test func someoneNotRoutedToIsRefused() throws {
        var request = try underReview(managerRouting)
        let before = request
        do {
            _ = try ReviewDecision.record(review("mgr2", .approve), on: &request, isOperator: false)
            Issue.record("mgr2 is not a reviewer")
        } catch { #expect(error.code == .permissionDenied) }
        // An operator decides HQ-tier requests only.
        do {
            _ = try ReviewDecision.record(review("ops", .approve), on: &request, isOperator: true)
            Issue.record("operators do not decide a manager's review")
        } catch { #expect(error.code == .permissionDenied) }
        #expect(request == before)
    }

    @Test func anOperatorDecidesAnHQRequestNotNamingThem() throws {
        var request = try underReview(Routing(tier: .hq, reviewers: ["hq"], dueAt: fridayMorning + 86_400, reason: "64 GPUs"))
        #expect(try ReviewDecision.record(review("ops2", .approve), on: &request, isOperator: true) == .approved(request.asked, withChanges: false))
    }

    @Test func theApplicantCannotReviewTheirOwnRequest() throws {
        var request = try underReview(Routing(tier: .manager, reviewers: ["alice", "mgr1"], dueAt: fridayMorning + 86_400, reason: "x"))
        #expect(throws: ReservoirError.self) { try ReviewDecision.record(review("alice", .approve), on: &request, isOperator: false) }
    }

    @Test(arguments: [
        (ReviewVerdict.approve, "", nil as AllocationTerms?, "reason"),
        (.reject, "   ", nil, "reason"),
        (.approveWithChanges, "smaller", nil, "changes"),
        (.approveWithChanges, "same", AllocationTerms(pool: "a100", model: "A100-80GB", gpus: 16, durationHours: 240), "changes"),
        (.approve, "with terms", AllocationTerms(gpus: 4), "changes"),
    ])
    func badReviewsNameTheField(verdict: ReviewVerdict, reason: String, changes: AllocationTerms?, field: String) throws {
        var request = try underReview(managerRouting)
        let before = request
        do {
            _ = try ReviewDecision.record(review("mgr1", verdict, reason, changes: changes), on: &request, isOperator: false)
            Issue.record("accepted a bad review")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.field == field)
        }
        #expect(request == before)
    }

    @Test func theCommitteeNeedsTwoDistinctApprovals() throws {
        var request = try underReview(committeeRouting)
        #expect(try ReviewDecision.record(review("c1", .approve), on: &request, isOperator: false) == .pending(approvals: 1, required: 2))
        #expect(request.state == .underReview)
        #expect(throws: ReservoirError.self) { try ReviewDecision.record(review("c1", .approve), on: &request, isOperator: false) }
        let changed = AllocationTerms(pool: "a100", model: "A100-80GB", gpus: 8, durationHours: 240)
        #expect(try ReviewDecision.record(review("c2", .approveWithChanges, changes: changed), on: &request, isOperator: false)
            == .approved(changed, withChanges: true))
        #expect(request.reviews.map(\.reviewer) == ["c1", "c2"])
    }

    @Test func oneCommitteeRejectionDecides() throws {
        var request = try underReview(committeeRouting)
        _ = try ReviewDecision.record(review("c1", .approve), on: &request, isOperator: false)
        #expect(try ReviewDecision.record(review("c3", .reject, "reserve is for production"), on: &request, isOperator: false) == .rejected)
        #expect(request.state == .rejected)
    }

    @Test func changesMayOnlyShrink() {
        let asked = AllocationTerms(pool: "a100", model: "A100-80GB", gpus: 16, durationHours: 240)
        #expect(TermChanges(gpus: 8, durationHours: 48).problems(against: asked).isEmpty)
        #expect(TermChanges(gpus: 32).problems(against: asked).map(\.field) == ["changes.gpus"])
        #expect(TermChanges(gpus: 0, durationHours: 500).problems(against: asked).map(\.field) == ["changes.gpus", "changes.durationHours"])
        #expect(TermChanges(durationHours: -1).problems(against: asked).map(\.field) == ["changes.durationHours"])
        #expect(TermChanges(pool: "h100").applied(to: asked) == AllocationTerms(pool: "h100", model: "A100-80GB", gpus: 16, durationHours: 240))
    }
}

@Suite("Review escalation")
struct ReviewEscalationTests {
    let rules = ApprovalRouting.Rules()

    @Test func nothingBeforeTheDeadline() throws {
        var request = try underReview(managerRouting)
        #expect(ReviewEscalation.escalate(&request, rules: rules, users: routingUsers, at: managerRouting.dueAt) == nil)
        #expect(request.routing == managerRouting)
    }

    @Test func anOverdueManagerReviewMovesToHQWithAFreshWorkingDayDeadline() throws {
        var request = try underReview(managerRouting)
        let now = managerRouting.dueAt + 60  // Saturday 09:01
        let outcome = ReviewEscalation.escalate(&request, rules: rules, users: routingUsers, at: now)
        #expect(outcome == .escalated(to: .hq, reviewers: ["hq", "ops", "c1"]))
        let routing = try #require(request.routing)
        #expect(routing.tier == .hq)
        #expect(routing.escalatedFrom == .manager)
        #expect(routing.escalatedAt == now)
        #expect(routing.dueAt == 1_796_688_000)  // Tuesday 00:00: Saturday does not count
        #expect(request.state == .underReview)
        #expect(request.history.last?.actor == "system:escalation")
        #expect(request.history.last?.reason.contains("escalated to HQ") == true)
        #expect(!request.isOverdue(at: now))
        // Once is enough: the same pass again changes nothing.
        #expect(ReviewEscalation.escalate(&request, rules: rules, users: routingUsers, at: now + 10) == nil)
    }

    @Test func anOverdueCommitteeReviewIsMarkedOverdueInPlace() throws {
        var request = try underReview(committeeRouting)
        let now = committeeRouting.dueAt + 1
        #expect(ReviewEscalation.escalate(&request, rules: rules, users: routingUsers, at: now) == .markedOverdue(reviewers: ["c1", "c2", "c3"]))
        #expect(request.routing?.tier == .committee)
        #expect(request.routing?.escalatedAt == now)
        #expect(request.isOverdue(at: now))
    }

    @Test func aDecidedRequestIsNeverEscalated() throws {
        var request = try underReview(managerRouting)
        try request.transition(to: .withdrawn, at: fridayMorning + 10, actor: "user:alice", reason: "not needed")
        #expect(ReviewEscalation.escalate(&request, rules: rules, users: routingUsers, at: managerRouting.dueAt + 86_400) == nil)
    }
}

@Suite("Request notices")
struct RequestNoticesTests {
    @Test func routingTellsTheApplicantAndEveryReviewer() throws {
        let request = try underReview(committeeRouting)
        let notices = RequestNotices.announce(request)
        #expect(notices.map(\.id) == ["request-r1-1-applicant", "request-r1-1-review-c1", "request-r1-1-review-c2", "request-r1-1-review-c3"])
        #expect(notices.first?.topic == "request.under-review")
        #expect(notices.dropFirst().allSatisfy { $0.topic == "request.routed" })
    }

    @Test func aDecisionTellsOnlyTheApplicantWithTheGrant() throws {
        var request = try underReview(managerRouting)
        _ = try ReviewDecision.record(Review(reviewer: "mgr1", verdict: .reject, reason: "no", at: fridayMorning + 5), on: &request, isOperator: false)
        let notices = RequestNotices.announce(request)
        #expect(notices.count == 1)
        #expect(notices[0].recipient == .user("alice"))
        #expect(notices[0].topic == "request.rejected")
        #expect(notices[0].body.contains("\"actor\":\"user:mgr1\""))
    }

    @Test func anEscalationTellsTheApplicantAndTheNewReviewersOnce() throws {
        var request = try underReview(managerRouting)
        _ = ReviewEscalation.escalate(&request, rules: ApprovalRouting.Rules(), users: routingUsers, at: managerRouting.dueAt + 1)
        let notices = RequestNotices.announce(request)
        #expect(notices.map(\.id) == ["request-r1-2-applicant", "request-r1-2-review-hq", "request-r1-2-review-ops", "request-r1-2-review-c1"])
        #expect(notices[0].topic == "request.escalated")
        #expect(notices[0].body.contains("\"tier\":\"hq\""))
        // Ids are stable: announcing the same step again yields the same ids (the outbox ignores repeats).
        #expect(RequestNotices.announce(request).map(\.id) == notices.map(\.id))
    }
}
