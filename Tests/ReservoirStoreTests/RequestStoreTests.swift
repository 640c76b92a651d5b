import Foundation
import ReservoirCore
import ReservoirStore
import Testing

/// A small L2 training request of tenant `a`, routed to manager `boss` (due at 5000).
func routedRequest(_ id: RequestID = "req-000001") -> AllocationRequest {
    var form = RequestForm(kind: .training, category: .fineTuning)
    form.training = TrainingDetails()
    form.training?.gpuModel = "T4"
    form.training?.gpus = 2
    var request = AllocationRequest(
        id: id, tenant: "a", applicant: "alice", form: form, asked: AllocationTerms(pool: "p", model: "T4", gpus: 2, durationHours: 24), submittedAt: 1000)
    request.routing = Routing(tier: .manager, reviewers: ["boss"], dueAt: 5000, reason: "2 GPUs for 24 h")
    try! request.transition(to: .underReview, at: 1000, actor: "system:routing", reason: "routed to boss")
    return request
}

func grant(for request: AllocationRequest) -> Grant {
    Grant(
        id: request.id.grantID, request: request.id, tenant: request.tenant, pool: "p", model: "T4", gpuMilli: 2000, priority: .p2, category: .fineTuning,
        startsAt: 1000, endsAt: 1000 + 86400,
        access: GrantAccess(engine: "simulated", account: "a", partition: "p", qos: "P2", queue: "p", instructions: "reservoir submit --grant …"),
        createdAt: 1000, approvedBy: "user:boss")
}

@Suite("SQLite store: requests and grants")
struct RequestStoreTests {
    @Test("a request round-trips with its notices, audit entry and inbox entry; the store numbers it")
    func roundTrip() throws {
        let store = try seededStore()
        let made = try store.createRequest(idempotency: nil, by: Attribution(actor: "user:alice", at: 1000)) { id in
            var request = routedRequest(id)
            request.estimate = RequestEstimate(gpus: 2, gpuHours: 48, summary: "2 × T4")
            return NewRequest(request: request, notices: RequestNotices.announce(request))
        }
        #expect(made.request.id == "req-000001")
        let stored = try #require(try store.request("req-000001"))
        #expect(stored == made.request)
        #expect(try store.requests(RequestFilter(reviewer: "boss"), page: PageRequest()).items.map(\.id) == ["req-000001"])
        #expect(try store.requests(RequestFilter(reviewer: "carol"), page: PageRequest()).items.isEmpty)
        #expect(try store.requests(RequestFilter(tenant: "b"), page: PageRequest()).items.isEmpty)
        #expect(try store.requests(RequestFilter(states: [.underReview], applicant: "alice"), page: PageRequest()).items.count == 1)
        #expect(try store.notifications(for: nil, page: PageRequest()).items.map(\.id).sorted() == ["request-req-000001-1-applicant", "request-req-000001-1-review-boss"])
        let audit = try store.auditEntries(object: "requests/req-000001", tenant: nil, limit: 10)
        #expect(audit.map(\.action) == ["request.submit"] && audit[0].actor == "user:alice")
        let second = try store.createRequest(idempotency: nil, by: operatorWho) { NewRequest(request: routedRequest($0)) }
        #expect(second.request.id == "req-000002")
        #expect(try store.requests(RequestFilter(), page: PageRequest()).items.map(\.id) == ["req-000002", "req-000001"])
    }

    @Test("an approval stores the request and its new grant together; decided requests leave the inbox")
    func approvalCreatesGrant() throws {
        let store = try seededStore()
        try store.createRequest(routedRequest(), grant: nil, notices: [], idempotency: nil, by: operatorWho)
        let boss = Attribution(actor: "user:boss", at: 2000)
        let after = try store.updateRequest("req-000001", action: "review", by: boss) { request in
            try request.transition(to: .approved, at: 2000, actor: "user:boss", reason: "fine")
            try request.transition(to: .granted, at: 2000, actor: "user:boss", reason: "granted")
            request.grant = request.id.grantID
            return RequestChangeEffects(grant: grant(for: request), notices: RequestNotices.announce(request))
        }
        #expect(after.state == .granted && after.grant == "grant-000001")
        #expect(try store.grant("grant-000001")?.request == "req-000001")
        #expect(try store.activeGrants().map(\.id) == ["grant-000001"])
        #expect(try store.grants(tenant: "a", state: .active, page: PageRequest()).items.count == 1)
        #expect(try store.grants(tenant: "b", state: nil, page: PageRequest()).items.isEmpty)
        #expect(try store.requests(RequestFilter(reviewer: "boss"), page: PageRequest()).items.isEmpty)
        #expect(try store.auditEntries(object: "grants/grant-000001", tenant: nil, limit: 10).map(\.action) == ["grant.create"])

        let expired = try store.updateGrant("grant-000001", action: "expire", by: Attribution(actor: "system:expiry", at: 90000)) { grant, request in
            grant.state = .expired
            try request.transition(to: .expired, at: 90000, actor: "system:expiry", reason: "window ended")
            return RequestNotices.announce(request, grant: grant)
        }
        #expect(expired.state == .expired)
        #expect(try store.request("req-000001")?.state == .expired)
        #expect(try store.activeGrants().isEmpty)
        #expect(try store.auditEntries(object: "grants/grant-000001", tenant: nil, limit: 10).map(\.action) == ["grant.expire", "grant.create"])
    }

    @Test("a refused change stores nothing: no request change, no grant, no notice")
    func refusedChangeIsAtomic() throws {
        let store = try seededStore()
        try store.createRequest(routedRequest(), grant: nil, notices: [], idempotency: nil, by: operatorWho)
        #expect(throws: ReservoirError.self) {
            try store.updateRequest("req-000001", action: "review", by: operatorWho) { request in
                try request.transition(to: .approved, at: 2000, actor: "user:boss", reason: "fine")
                try request.transition(to: .withdrawn, at: 2000, actor: "user:alice", reason: "too late")
                return RequestChangeEffects(grant: grant(for: request))
            }
        }
        #expect(try store.request("req-000001")?.state == .underReview)
        #expect(try store.grant("grant-000001") == nil)
        #expect(try store.notifications(for: nil, page: PageRequest()).items.isEmpty)
        #expect(throws: ReservoirError.self) { try store.updateRequest("req-000404", action: "review", by: operatorWho) { _ in RequestChangeEffects() } }
    }

    @Test("two reviewers deciding at once: exactly one wins, the other meets a decided request (409)")
    func concurrentDecisionsConflict() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("requests-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(path: path)
        try store.createTenant(Tenant(id: "a"), by: operatorWho)
        try store.createRequest(routedRequest(), grant: nil, notices: [], idempotency: nil, by: operatorWho)
        let verdicts: [RequestState] = [.approved, .rejected, .approved, .rejected, .withdrawn, .approved]
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for (i, verdict) in verdicts.enumerated() {
                group.addTask {
                    (try? store.updateRequest("req-000001", action: "review", by: Attribution(actor: "user:r\(i)", at: 2000)) { request in
                        try request.transition(to: verdict, at: 2000, actor: "user:r\(i)", reason: "decided")
                        return RequestChangeEffects()
                    }) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        let stored = try #require(try store.request("req-000001"))
        #expect(stored.history.count == 2 && stored.state != .underReview)
    }

    @Test("overdue: routed, past the deadline, not escalated yet")
    func overdue() throws {
        let store = try seededStore()
        try store.createRequest(routedRequest(), grant: nil, notices: [], idempotency: nil, by: operatorWho)
        #expect(try store.overdueRequests(at: 4000).isEmpty)
        #expect(try store.overdueRequests(at: 6000).map(\.id) == ["req-000001"])
        try store.updateRequest("req-000001", action: "escalate", by: operatorWho) { request in
            request.routing?.escalatedAt = 6000
            return RequestChangeEffects()
        }
        #expect(try store.overdueRequests(at: 6000).isEmpty)
    }
}
