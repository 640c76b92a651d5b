import Foundation
import NIOHTTP1
import ReservoirComposition
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// The review half of the request life cycle over HTTP, on a manual clock: a large request routed to
/// the tenant's manager, changed and approved into a grant; a rejection; a committee needing two
/// approvals; an overdue review escalated to HQ when the clock moves past its working-day deadline;
/// and the notices of all this delivered to a webhook across a restart, each once.
@Suite("Request reviews over HTTP: routed, changed, approved, granted; rejected; committee; escalation; notices across a restart")
struct RequestReviewFlowTests {
    /// Friday 2026-12-04 09:00 UTC: a one-working-day deadline falls on Monday 09:00.
    static let friday = 1_796_374_800.0

    /// Pool `p1`: 16 nodes of 8 × A100-80GB (128 GPUs); pool `reserve`: 2 nodes of 8 × H100-80GB, the strategic reserve.
    static let inventory = """
        regions:
          - id: r1
            clusters:
              - id: c1
                engine: simulated
                pools:
                  - id: p1
                    purpose: training
                    nodes:
                      - {name: a100, count: 16, model: A100-80GB, gpus: 8, cpu: 64, memoryGiB: 512}
                  - id: reserve
                    purpose: training
                    nodes:
                      - {name: h100, count: 2, model: H100-80GB, gpus: 8, cpu: 64, memoryGiB: 512}
        """

    static func reservoir(store: SQLiteStore, clock: ManualClock, webhook: String = "") -> Reservoir {
        var configuration = Reservoir.Configuration(cycleInterval: 0.05)
        configuration.requests.approval.committee = ["c1", "c2", "c3"]
        configuration.requests.approval.escalationCheckSeconds = 0.05
        configuration.requests.compliance.strategicReservePools = ["reserve"]
        configuration.requests.compliance.maxTenantShare = 1
        configuration.notifications.pollIntervalSeconds = 0.05
        configuration.notifications.webhook.url = webhook
        configuration.notifications.webhook.backoffSeconds = 30
        let engine = SimulatedEngine(inventory: { (try? store.inventory().nodes) ?? [] }, speed: 1, clock: clock.function)
        let reservoir = Reservoir(store: store, engine: engine, configuration: configuration, logger: InProcessServer.quietLogger, clock: clock.function)
        _ = try? reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        return reservoir
    }

    /// Tokens of the people: alice (member of alpha), mgr (approver of alpha), mgrb (approver of beta),
    /// hq (approver of no tenant), c1…c3 (committee), bob (member of beta), sos (emergency approver).
    static func people(_ api: API) async throws -> [String: String] {
        let op = Fixture.operatorToken
        try #require(try await api.send(.POST, "/v1/import", token: op, body: inventory, contentType: "application/yaml").status == 201)
        for tenant in ["alpha", "beta"] { try #require(try await api.post("/v1/tenants", token: op, json: ["id": tenant]).status == 201) }
        var tokens: [String: String] = ["admin": op]
        let users: [(String, String?, String)] = [
            ("alice", "alpha", "member"), ("mgr", "alpha", "approver"), ("bob", "beta", "member"), ("mgrb", "beta", "approver"),
            ("hq", nil, "approver"), ("c1", nil, "approver"), ("c2", nil, "approver"), ("c3", "beta", "approver"),
            ("sos", nil, "emergency-approver"),
        ]
        for (id, tenant, role) in users {
            var user: [String: Any] = ["id": id, "roles": [role]]
            if let tenant { user["tenant"] = tenant }
            try #require(try await api.post("/v1/users", token: op, json: user).status == 201)
            tokens[id] = try #require(try await api.post("/v1/tokens", token: op, json: ["user": id]).object["token"] as? String)
        }
        return tokens
    }

    /// An L2 fine-tuning request form of `gpus` A100s for `hours`.
    static func form(gpus: Int, hours: Double, pool: String? = nil, model: String = "A100-80GB") -> [String: Any] {
        var form: [String: Any] = [
            "department": "Grid AI", "project": "dispatch", "contact": "alice@example.com", "businessGoal": "Summarise tickets",
            "businessValue": "Faster shifts", "kind": "training", "category": "L2",
            "training": [
                "modelName": "llama-8b-dispatch", "framework": "PyTorch", "parameters": 8e9, "tokens": 2e9, "gpuModel": model, "gpus": gpus,
                "durationHours": hours,
            ] as [String: Any],
        ]
        if let pool { form["pool"] = pool }
        return form
    }

    static func submit(_ api: API, _ token: String, _ form: [String: Any]) async throws -> [String: Any] {
        let reply = try await api.post("/v1/requests", token: token, json: form)
        try #require(reply.status == 201, "submit: \(reply.text)")
        return reply.object
    }

    static func review(_ api: API, _ token: String, _ id: String, _ body: [String: Any]) async throws -> Reply {
        try await api.post("/v1/requests/\(id)/reviews", token: token, json: body)
    }

    static func inbox(_ api: API, _ token: String) async throws -> [String] {
        try await api.get("/v1/requests?routedTo=me", token: token).array.compactMap { $0["id"] as? String }
    }

    static func request(_ api: API, _ id: String) async throws -> [String: Any] {
        try await api.get("/v1/requests/\(id)", token: Fixture.operatorToken).object
    }

    /// Topics of the notices a user was sent, oldest first.
    static func topics(_ api: API, _ token: String, request id: String) async throws -> [String] {
        try await api.get("/v1/notifications", token: token).array
            .filter { ($0["body"] as? String)?.contains("\"request\":\"\(id)\"") == true }.compactMap { $0["topic"] as? String }.reversed()
    }

    @Test("a large request is routed to the tenant's manager, who alone may decide it; approved with fewer GPUs and days it is granted on those terms")
    func routedChangedApprovedGranted() async throws {
        let clock = ManualClock(Self.friday)
        let reservoir = Self.reservoir(store: try SQLiteStore(path: nil), clock: clock)
        try await InProcessServer.with(reservoir) { api, _ in
            let t = try await Self.people(api)
            let submitted = try await Self.submit(api, t["alice"]!, Self.form(gpus: 16, hours: 160))
            let id = try #require((submitted["request"] as? [String: Any])?["id"] as? String)
            #expect((submitted["request"] as? [String: Any])?["state"] as? String == "under-review")
            #expect((submitted["message"] as? String)?.contains("routed to mgr (manager), expected review by 2026-12-07T09:00:00Z") == true)
            #expect(submitted["grant"] == nil)

            // Approvers see only what is routed to them.
            #expect(try await Self.inbox(api, t["mgr"]!) == [id])
            #expect(try await Self.inbox(api, t["mgrb"]!).isEmpty)
            #expect(try await Self.inbox(api, t["hq"]!).isEmpty)

            // Nobody else may decide it, and nothing changes when they try.
            let approve: [String: Any] = ["verdict": "approve", "reason": "fits"]
            #expect(try await Self.review(api, t["alice"]!, id, approve).status == 403)  // a member
            #expect(try await Self.review(api, t["bob"]!, id, approve).status == 403)
            #expect(try await Self.review(api, t["mgrb"]!, id, approve).status == 404)  // another tenant's manager cannot even see it
            #expect(try await Self.review(api, t["hq"]!, id, approve).status == 404)
            #expect(try await Self.review(api, Fixture.operatorToken, id, approve).status == 403)  // operators decide the HQ tier only
            // Bad reviews name the field.
            let noReason = try await Self.review(api, t["mgr"]!, id, ["verdict": "approve", "reason": " "])
            #expect(noReason.status == 400 && noReason.errorField == "reason")
            let bigger = try await Self.review(api, t["mgr"]!, id, ["verdict": "approve-with-changes", "reason": "more", "changes": ["gpus": 32, "model": "Z9000"]])
            #expect(bigger.status == 400)
            #expect(bigger.errorMessage.contains("changes.gpus") && bigger.errorMessage.contains("changes.model"))
            let unknownVerdict = try await Self.review(api, t["mgr"]!, id, ["verdict": "maybe", "reason": "hmm"])
            #expect(unknownVerdict.status == 400)
            #expect(try await Self.request(api, id)["state"] as? String == "under-review")
            #expect((try await Self.request(api, id)["reviews"] as? [Any])?.isEmpty == true)

            clock.advance(3_600)
            let decided = try await Self.review(api, t["mgr"]!, id, [
                "verdict": "approve-with-changes", "reason": "8 are free this week", "changes": ["gpus": 8, "durationHours": 120],
            ])
            #expect(decided.status == 200, "\(decided.text)")
            let request = try #require(decided.object["request"] as? [String: Any])
            let grant = try #require(decided.object["grant"] as? [String: Any])
            #expect(request["state"] as? String == "granted")
            #expect((request["approved"] as? [String: Any])?["gpus"] as? Int == 8)
            #expect((request["history"] as? [[String: Any]])?.compactMap { $0["to"] as? String } == ["under-review", "approved-with-changes", "granted"])
            #expect(grant["gpuMilli"] as? Int == 8_000 && grant["pool"] as? String == "p1" && grant["model"] as? String == "A100-80GB")
            #expect(grant["startsAt"] as? Double == Self.friday + 3_600 && grant["endsAt"] as? Double == Self.friday + 3_600 + 120 * 3_600)
            #expect(grant["priority"] as? String == "P2" && (grant["access"] as? [String: Any])?["account"] as? String == "alpha")
            #expect(grant["approvedBy"] as? String == "user:mgr")

            // Decided: a second decision is a conflict; the inbox is empty; the applicant was told each step.
            #expect(try await Self.review(api, t["mgr"]!, id, ["verdict": "reject", "reason": "changed my mind"]).status == 409)
            #expect(try await Self.inbox(api, t["mgr"]!).isEmpty)
            #expect(try await Self.topics(api, t["alice"]!, request: id) == ["request.under-review", "request.approved-with-changes", "request.granted"])
            #expect(try await Self.topics(api, t["mgr"]!, request: id) == ["request.routed"])
            let audit = try await api.get("/v1/audit?limit=200", token: Fixture.operatorToken).array
            #expect(audit.contains { $0["action"] as? String == "request.review" && $0["actor"] as? String == "user:mgr" })
        }
    }

    @Test("a rejection decides with its reason: no grant, the applicant is told, a later approval is a conflict; a disabled tenant's request cannot be decided")
    func rejected() async throws {
        let clock = ManualClock(Self.friday)
        let reservoir = Self.reservoir(store: try SQLiteStore(path: nil), clock: clock)
        try await InProcessServer.with(reservoir) { api, _ in
            let t = try await Self.people(api)
            let id = try #require((try await Self.submit(api, t["alice"]!, Self.form(gpus: 8, hours: 48))["request"] as? [String: Any])?["id"] as? String)
            let other = try #require((try await Self.submit(api, t["alice"]!, Self.form(gpus: 8, hours: 48))["request"] as? [String: Any])?["id"] as? String)
            let rejected = try await Self.review(api, t["mgr"]!, id, ["verdict": "reject", "reason": "no budget this quarter"])
            #expect(rejected.status == 200)
            #expect((rejected.object["request"] as? [String: Any])?["state"] as? String == "rejected")
            #expect(rejected.object["grant"] == nil)
            #expect((rejected.object["message"] as? String)?.contains("no budget this quarter") == true)
            #expect(try await Self.review(api, t["mgr"]!, id, ["verdict": "approve", "reason": "ok after all"]).status == 409)
            #expect(try await Self.topics(api, t["alice"]!, request: id) == ["request.under-review", "request.rejected"])

            // The tenant is disabled: its open request cannot be approved (409), and stays under review.
            #expect(try await api.send(.PATCH, "/v1/tenants/alpha", token: Fixture.operatorToken, body: #"{"disabled": true}"#).status == 200)
            let refused = try await Self.review(api, t["mgr"]!, other, ["verdict": "approve", "reason": "fits"])
            #expect(refused.status == 409 && refused.errorField == "tenant")
            #expect(try await Self.request(api, other)["state"] as? String == "under-review")
        }
    }

    @Test("a strategic-reserve request needs two distinct committee approvals; one is recorded and waits, the second grants")
    func committee() async throws {
        let clock = ManualClock(Self.friday)
        let reservoir = Self.reservoir(store: try SQLiteStore(path: nil), clock: clock)
        try await InProcessServer.with(reservoir) { api, _ in
            let t = try await Self.people(api)
            let submitted = try await Self.submit(api, t["alice"]!, Self.form(gpus: 8, hours: 48, pool: "reserve", model: "H100-80GB"))
            let request = try #require(submitted["request"] as? [String: Any])
            let id = try #require(request["id"] as? String)
            let routing = try #require(request["routing"] as? [String: Any])
            #expect(routing["tier"] as? String == "committee" && routing["requiredApprovals"] as? Int == 2)
            #expect(Set(try await Self.inbox(api, t["c3"]!)) == [id])

            let first = try await Self.review(api, t["c1"]!, id, ["verdict": "approve", "reason": "incident season"])
            #expect(first.status == 200)
            #expect((first.object["request"] as? [String: Any])?["state"] as? String == "under-review")
            #expect((first.object["message"] as? String)?.contains("approval 1 of 2 recorded") == true)
            #expect(try await Self.review(api, t["c1"]!, id, ["verdict": "approve", "reason": "again"]).status == 409)

            let second = try await Self.review(api, t["c3"]!, id, ["verdict": "approve", "reason": "agreed"])
            #expect(second.status == 200)
            #expect((second.object["request"] as? [String: Any])?["state"] as? String == "granted")
            #expect((second.object["grant"] as? [String: Any])?["pool"] as? String == "reserve")
            #expect((second.object["request"] as? [String: Any]).flatMap { $0["reviews"] as? [[String: Any]] }?.compactMap { $0["reviewer"] as? String } == ["c1", "c3"])
        }
    }

    @Test("a member's emergency goes to the emergency approver, due at once; approved, its grant runs in P0")
    func emergencyReview() async throws {
        let clock = ManualClock(Self.friday)
        let reservoir = Self.reservoir(store: try SQLiteStore(path: nil), clock: clock)
        try await InProcessServer.with(reservoir) { api, _ in
            let t = try await Self.people(api)
            var form = Self.form(gpus: 16, hours: 12)
            form["emergency"] = ["category": "production-outage", "incident": "INC-4711", "description": "dispatch desk summaries down"]
            let request = try #require(try await Self.submit(api, t["alice"]!, form)["request"] as? [String: Any])
            let id = try #require(request["id"] as? String)
            let routing = try #require(request["routing"] as? [String: Any])
            #expect(routing["tier"] as? String == "emergency" && routing["reviewers"] as? [String] == ["sos"] && routing["dueAt"] as? Double == Self.friday)
            #expect(try await Self.inbox(api, t["sos"]!) == [id])
            #expect(try await Self.review(api, t["hq"]!, id, ["verdict": "approve", "reason": "ok"]).status == 404)
            let approved = try await Self.review(api, t["sos"]!, id, ["verdict": "approve", "reason": "outage in the dispatch desk"])
            #expect(approved.status == 200, "\(approved.text)")
            let grant = try #require(approved.object["grant"] as? [String: Any])
            #expect(grant["priority"] as? String == "P0" && (grant["emergency"] as? [String: Any])?["incident"] as? String == "INC-4711")
            #expect(grant["approvedBy"] as? String == "user:sos")
        }
    }

    @Test("an overdue manager review moves to HQ at the first pass after its working-day deadline; an HQ review past its deadline shows overdue")
    func escalation() async throws {
        let clock = ManualClock(Self.friday)
        let reservoir = Self.reservoir(store: try SQLiteStore(path: nil), clock: clock)
        try await InProcessServer.with(reservoir) { api, _ in
            let t = try await Self.people(api)
            let id = try #require((try await Self.submit(api, t["alice"]!, Self.form(gpus: 16, hours: 160))["request"] as? [String: Any])?["id"] as? String)
            let big = try #require((try await Self.submit(api, t["alice"]!, Self.form(gpus: 64, hours: 160))["request"] as? [String: Any])?["id"] as? String)
            #expect((try await Self.request(api, big)["routing"] as? [String: Any])?["tier"] as? String == "hq")

            // The weekend does not count: Sunday 09:00 is not late.
            clock.advance(2 * 86_400)
            try await Task.sleep(nanoseconds: 300_000_000)
            #expect((try await Self.request(api, id)["routing"] as? [String: Any])?["tier"] as? String == "manager")
            #expect(try await Self.request(api, id)["overdue"] as? Bool == false)

            // Monday 09:01: late; the next pass escalates it.
            clock.advance(86_400 + 60)
            var routing: [String: Any] = [:]
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                routing = try await Self.request(api, id)["routing"] as? [String: Any] ?? [:]
                if routing["tier"] as? String == "hq" { break }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            #expect(routing["tier"] as? String == "hq" && routing["escalatedFrom"] as? String == "manager")
            #expect(Set(routing["reviewers"] as? [String] ?? []) == ["admin", "hq", "c1", "c2"])
            #expect(routing["dueAt"] as? Double == Self.friday + 4 * 86_400 + 60)  // Tuesday 09:01
            let shown = try await Self.request(api, id)
            #expect(shown["overdue"] as? Bool == false && shown["state"] as? String == "under-review")
            #expect((shown["history"] as? [[String: Any]])?.last?["actor"] as? String == "system:escalation")
            let audit = try await api.get("/v1/audit?object=requests/\(id)", token: Fixture.operatorToken).array
            #expect(audit.contains { $0["action"] as? String == "request.escalate" && $0["actor"] as? String == "system:escalation" })
            // The big one had nowhere higher to go: it shows overdue in the list.
            let listed = try await api.get("/v1/requests?state=under-review", token: Fixture.operatorToken).array
            #expect(listed.first { $0["id"] as? String == big }?["overdue"] as? Bool == true)
            #expect(listed.first { $0["id"] as? String == id }?["overdue"] as? Bool == false)

            // The manager no longer decides it; HQ does.
            #expect(try await Self.inbox(api, t["mgr"]!).isEmpty)
            #expect(Set(try await Self.inbox(api, t["hq"]!)) == [id, big])
            #expect(try await Self.review(api, t["mgr"]!, id, ["verdict": "approve", "reason": "late"]).status == 403)
            let approved = try await Self.review(api, t["hq"]!, id, ["verdict": "approve", "reason": "escalated to us; fits"])
            #expect((approved.object["request"] as? [String: Any])?["state"] as? String == "granted")
            #expect(try await Self.topics(api, t["alice"]!, request: id) == ["request.under-review", "request.escalated", "request.approved", "request.granted"])
            #expect(try await Self.topics(api, t["hq"]!, request: id) == ["request.routed"])
        }
    }

    @Test("the notices of a review reach a webhook that was down, after a restart, each once")
    func noticesAcrossRestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("review-notices-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ManualClock(Self.friday)
        // Down for the first process: every try fails.
        let receiver = WebhookReceiver(answers: Array(repeating: 503, count: 1_000))
        let expected: Set<String> = try await receiver.listen { url in
            let reservoir = Self.reservoir(store: try SQLiteStore(path: path), clock: clock, webhook: url)
            return try await InProcessServer.with(reservoir) { api, reservoir in
                let t = try await Self.people(api)
                let id = try #require((try await Self.submit(api, t["alice"]!, Self.form(gpus: 16, hours: 160))["request"] as? [String: Any])?["id"] as? String)
                #expect(try await Self.review(api, t["mgr"]!, id, ["verdict": "approve", "reason": "fits"]).status == 200)
                let ids = Set(try await api.get("/v1/notifications?limit=100", token: Fixture.operatorToken).array.compactMap { $0["id"] as? String })
                let deadline = Date().addingTimeInterval(10)
                while Set(receiver.received).count < ids.count, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
                return ids
            }
        }
        #expect(expected.count == 4)  // routed: alice and mgr; approved and granted: alice
        #expect(Set(receiver.received) == expected)  // tried, refused

        // Restart over the same database; the receiver is up and deduplicates by id.
        let up = WebhookReceiver()
        try await up.listen { url in
            clock.advance(3_600)  // past every back-off
            let reservoir = Self.reservoir(store: try SQLiteStore(path: path), clock: clock, webhook: url)
            try await InProcessServer.with(reservoir) { api, reservoir in
                let deadline = Date().addingTimeInterval(10)
                while Set(up.received).count < expected.count, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
                try await Task.sleep(nanoseconds: 300_000_000)  // a further pass sends nothing again
                let states = try await api.get("/v1/notifications?limit=100", token: Fixture.operatorToken).array.compactMap { $0["state"] as? String }
                #expect(states.count == expected.count && states.allSatisfy { $0 == "delivered" })
            }
        }
        #expect(Set(up.received) == expected)
        #expect(up.received.count == expected.count)
    }
}
