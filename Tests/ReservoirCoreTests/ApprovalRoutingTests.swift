import ReservoirCore
import Testing

/// Friday 2026-12-04 09:00 UTC: deadlines from here cross a weekend.
let fridayMorning = 1_796_374_800.0

/// The people routing chooses from: an applicant and a manager in t1, a manager of another tenant,
/// an HQ approver (no tenant), an operator, an emergency approver, two committee members and a
/// disabled HQ approver.
let routingUsers: [User] = {
    var retired = User(id: "retired-hq", roles: [.approver])
    retired.disabled = true
    return [
        User(id: "alice", tenant: "t1", roles: [.member]), User(id: "mgr1", tenant: "t1", roles: [.approver]),
        User(id: "mgr2", tenant: "t2", roles: [.approver]), User(id: "hq", roles: [.approver]), User(id: "ops", roles: [.operator_]),
        User(id: "sos", roles: [.emergencyApprover]), User(id: "c1", roles: [.approver]), User(id: "c2", tenant: "t2", roles: [.approver]),
        retired,
    ]
}()

func routedRequest(gpus: Int, hours: Double?, tenant: TenantID = "t1", emergency: Bool = false) -> AllocationRequest {
    var form = RequestForm(kind: .training, category: .fineTuning)
    if emergency { form.emergency = EmergencyDetails(category: "production-outage", incident: "INC-1") }
    return AllocationRequest(
        id: "r1", tenant: tenant, applicant: "alice", form: form, asked: AllocationTerms(pool: "a100", model: "A100-80GB", gpus: gpus, durationHours: hours),
        submittedAt: fridayMorning)
}

@Suite("Approval routing: every tier")
struct ApprovalRoutingTests {
    let rules = ApprovalRouting.Rules(committee: ["c1", "c2", "retired-hq"], committeeApprovals: 2)
    let alice = routingUsers[0]

    func route(_ request: AllocationRequest, _ feasibility: FeasibilityReport? = nil, submitter: User? = nil) -> ApprovalRouting.Decision {
        ApprovalRouting.route(request, feasibility: feasibility, rules: rules, submitter: submitter ?? alice, users: routingUsers, at: fridayMorning)
    }

    func routed(_ decision: ApprovalRouting.Decision) -> Routing? {
        if case .route(let routing) = decision { return routing }
        return nil
    }

    @Test func smallShortRequestIsApprovedAtOnce() {
        guard case .approveNow(let actor, let reason) = route(routedRequest(gpus: 3, hours: 6 * 24)) else {
            Issue.record("3 GPUs for 6 days should be auto-approved")
            return
        }
        #expect(actor == "system:auto-approval")
        #expect(reason.contains("3 GPUs < 4"))
    }

    @Test(arguments: [(4, 24.0), (2, 7 * 24.0)])
    func atTheLimitGoesToTheTenantsManager(gpus: Int, hours: Double) throws {
        let routing = try #require(routed(route(routedRequest(gpus: gpus, hours: hours))))
        #expect(routing.tier == .manager)
        #expect(routing.reviewers == ["mgr1"])
        #expect(routing.requiredApprovals == 1)
        #expect(routing.dueAt == WorkingDays.adding(1, to: fridayMorning))
    }

    @Test func noFixedTermIsNeverSmall() throws {
        let routing = try #require(routed(route(routedRequest(gpus: 1, hours: nil))))
        #expect(routing.tier == .manager)
        #expect(routing.reason.contains("no fixed term"))
    }

    @Test func aRequestThatMustShrinkIsNotAutoApproved() throws {
        let shrink = FeasibilityReport(verdict: .mustShrink, fits: AllocationTerms(gpus: 1), message: "only 1 GPU fits")
        #expect(routed(route(routedRequest(gpus: 2, hours: 24), shrink))?.tier == .manager)
    }

    @Test func largeRequestsGoToHQWithoutDisabledUsers() throws {
        let routing = try #require(routed(route(routedRequest(gpus: 64, hours: 24))))
        #expect(routing.tier == .hq)
        #expect(Set(routing.reviewers) == ["hq", "ops", "c1"])
    }

    @Test func aTenantWithoutManagerGoesToHQ() throws {
        let routing = try #require(routed(route(routedRequest(gpus: 8, hours: 24, tenant: "t3"))))
        #expect(routing.tier == .hq)
        #expect(routing.reason.contains("no approver"))
    }

    @Test func theStrategicReserveGoesToTheCommittee() throws {
        let reserve = FeasibilityReport(verdict: .fitsNow, usesStrategicReserve: true, message: "fits on the strategic reserve")
        let routing = try #require(routed(route(routedRequest(gpus: 2, hours: 24), reserve)))
        #expect(routing.tier == .committee)
        #expect(routing.reviewers == ["c1", "c2"])
        #expect(routing.requiredApprovals == 2)
    }

    @Test func aRefusalRejectsAtOnceNamingTheRule() {
        let refused = FeasibilityReport(verdict: .refused, violations: ["research may not take the strategic reserve"], message: "refused")
        #expect(route(routedRequest(gpus: 2, hours: 24), refused) == .rejectNow(reason: "research may not take the strategic reserve"))
    }

    @Test func emergencyOpenedByTheEmergencyApproverIsApprovedAtOnce() {
        let decision = route(routedRequest(gpus: 128, hours: 72, emergency: true), submitter: routingUsers[5])
        #expect(decision == .approveNow(actor: "user:sos", reason: "green channel opened by emergency approver sos"))
    }

    @Test func emergencyFromAMemberGoesToTheEmergencyApproverDueNow() throws {
        let routing = try #require(routed(route(routedRequest(gpus: 128, hours: 72, emergency: true))))
        #expect(routing.tier == .emergency)
        #expect(routing.reviewers == ["sos"])
        #expect(routing.dueAt == fridayMorning)
    }
}

@Suite("Working days")
struct WorkingDaysTests {
    @Test func oneWorkingDayFromFridayMorningIsMondayMorning() {
        #expect(WorkingDays.adding(1, to: fridayMorning) == 1_796_634_000)  // Mon 2026-12-07 09:00
    }

    @Test func aWeekendStartCountsFromMondayMidnight() {
        #expect(WorkingDays.adding(1, to: 1_796_464_800) == 1_796_688_000)  // Sat 10:00 → Tue 00:00
    }

    @Test func halfADayWithinTheWeek() {
        #expect(WorkingDays.adding(0.5, to: fridayMorning) == fridayMorning + 12 * 3600)
    }

    @Test func fiveWorkingDaysAreOneCalendarWeek() {
        #expect(WorkingDays.adding(5, to: fridayMorning) == fridayMorning + 7 * 86_400)
    }

    @Test func zeroOrNegativeDaysAddNothingOnAWeekday() {
        #expect(WorkingDays.adding(0, to: fridayMorning) == fridayMorning)
        #expect(WorkingDays.adding(-3, to: fridayMorning) == fridayMorning)
    }
}
