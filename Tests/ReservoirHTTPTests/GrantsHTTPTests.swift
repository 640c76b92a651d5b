import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// Grants in effect over HTTP and the CLI: jobs under a grant (`grant` in the submission, `reservoir
/// submit --grant`), the quota it raises, its use (`GET /v1/grants`, `reservoir grant list|show`), its
/// end, and the green channel preempting P3 work with every use reported.
@Suite("End to end: grants in effect and the emergency green channel")
struct GrantsHTTPTests {
    /// Alpha's grant of `gpus` A100s in p1, seeded as intake or a review leaves it.
    private static func grant(
        _ reservoir: Reservoir, number: Int64 = 1, gpus: Int = 4, emergency: EmergencyDetails? = nil, from start: Double, to end: Double?
    ) throws -> Grant {
        try GrantSeed.grant(in: reservoir.store, number: number, tenant: "alpha", applicant: "alice", gpus: gpus, emergency: emergency, startsAt: start, endsAt: end)
    }

    /// A user of `role` in `tenant` and its token.
    private static func user(_ api: API, _ id: String, tenant: String, role: Role) async throws -> String {
        let made = try await api.post("/v1/users", token: Fixture.operatorToken, json: ["id": id, "tenant": tenant, "roles": [role.rawValue]])
        try #require(made.status == 201, "\(made.text)")
        return try #require(try await api.post("/v1/tokens", token: Fixture.operatorToken, json: ["user": id]).object["token"] as? String)
    }

    /// Alpha's emergency request for 4 A100s (examples/request-emergency.yaml's shape).
    static func emergencyForm(tenant: String = "alpha", gpus: Int = 4) -> [String: Any] {
        [
            "tenant": tenant, "department": "Grid Operations", "project": "storm", "contact": "duty@example.com",
            "businessGoal": "re-run the forecast", "businessValue": "crews staged in time", "kind": "training", "category": "L2",
            "emergency": ["category": "production-outage", "incident": "INC-42", "description": "the forecast must be retrained tonight"],
            "training": ["modelName": "storm", "framework": "PyTorch", "parameters": 1.3e9, "tokens": 5e9, "gpuModel": "A100-80GB", "gpus": gpus, "durationHours": 12],
        ]
    }

    private static func underGrant(_ grant: GrantID, _ name: String, gpus: Int = 4, runtime: Double = 86_400) -> [String: Any] {
        ["name": name, "grant": grant.rawValue, "runtimeSeconds": runtime, "request": ["gpus": gpus]]
    }

    @Test("a member's job under a grant runs in its pool, model and class; the grant shows its use; an ended grant admits nothing new")
    func jobsUnderAGrant() async throws {
        try await InProcessServer.with { api, reservoir in
            let t = try await Fixture.setUp(api)
            let now = reservoir.now()
            let grant = try Self.grant(reservoir, from: now - 10, to: now + 3600)

            let quota = try await api.get("/v1/quotas?tenant=alpha", token: t.alice)
            #expect(quota.array.first?["limit"] as? Double == 8, "the grant raises alpha's 4-GPU limit by 4: \(quota.text)")

            let submitted = try await api.post("/v1/jobs", token: t.alice, json: Self.underGrant(grant.id, "under-grant"))
            #expect(submitted.status == 201, "\(submitted.text)")
            #expect(submitted.object["grant"] as? String == grant.id.rawValue && submitted.object["pool"] as? String == "p1")
            #expect(submitted.object["priority"] as? String == "P1")
            #expect((submitted.object["request"] as? [String: Any])?["models"] as? [String] == ["A100-80GB"])
            let id = try #require(submitted.object["id"] as? String)
            let (state, seen) = try await api.waitForJob(id, token: t.alice) { $0 == "running" }
            #expect(state == "running", "\(seen)")

            let shown = try await api.get("/v1/grants/\(grant.id)", token: t.alice)
            #expect(shown.status == 200, "\(shown.text)")
            #expect(shown.object["usedGPUMilli"] as? Int == 4000 && (shown.object["jobs"] as? [[String: Any]])?.first?["id"] as? String == id)
            let deadline = Date().addingTimeInterval(5)
            while try reservoir.store.request(grant.request)?.state != .active, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
            #expect(try reservoir.store.request(grant.request)?.state == .active, "its request became active when its first job started")

            let more = try await api.post("/v1/jobs", token: t.alice, json: Self.underGrant(grant.id, "one-too-many", gpus: 1))
            #expect(more.status == 409 && more.errorField == "request.gpus", "\(more.text)")
            let wrongClass = try await api.post("/v1/jobs", token: t.alice, json: Self.underGrant(grant.id, "cheap").merging(["priority": "P3"]) { _, b in b })
            #expect(wrongClass.status == 400 && wrongClass.errorField == "priority", "\(wrongClass.text)")
            for (bad, status, field) in [(#""grant": 42"#, 400, "grant"), (#""grant": "Not An Id!""#, 400, "grant"), (#""grant": "grant-999999""#, 404, "grant")] {
                let r = try await api.send(.POST, "/v1/jobs", token: t.alice, body: #"{"name": "bad", \#(bad), "request": {"gpus": 1}}"#)
                #expect(r.status == status && r.errorField == field, "\(bad): \(r.text)")
            }
            #expect(try await api.get("/v1/grants/\(grant.id)", token: t.bob).status == 404)
            #expect(try await api.post("/v1/jobs", token: t.bob, json: Self.underGrant(grant.id, "theirs")).status == 404)
            #expect(try await api.get("/v1/grants", token: t.bob).array.isEmpty)
            #expect(try await api.get("/v1/grants?tenant=beta", token: t.alice).status == 403)

            // A grant whose window ended admits no new work, before and after the expiry pass marks it.
            let ended = try Self.grant(reservoir, number: 900, gpus: 1, from: now - 7200, to: now - 3600)
            let late = try await api.post("/v1/jobs", token: t.alice, json: Self.underGrant(ended.id, "late", gpus: 1))
            #expect(late.status == 409 && late.errorField == "grant", "\(late.text)")
            #expect(late.errorMessage.hasPrefix("grant \(ended.id) ended at ") && late.errorMessage.hasSuffix(", admits no new work"), "\(late.errorMessage)")
            reservoir.grants.expiryWakeups.poke()
            let expiredBy = Date().addingTimeInterval(5)
            var expired: [[String: Any]] = []
            while expired.isEmpty, Date() < expiredBy {
                expired = try await api.get("/v1/grants?state=expired", token: t.alice).array
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            #expect(expired.compactMap { ($0["grant"] as? [String: Any])?["id"] as? String } == [ended.id.rawValue], "the expiry service ended it")
            #expect(try reservoir.store.request(ended.request)?.state == .expired)
            #expect(try await api.get("/v1/grants?state=active", token: t.alice).array.count == 1)
            #expect(try await api.get("/v1/grants?state=later", token: t.alice).status == 400)
            _ = try await api.send(.POST, "/v1/jobs/\(id)/cancel", token: t.alice)
        }
    }

    @Test("an emergency grant's job runs as P0 for a member and preempts P3 work through the scheduler; the victim gets its grace and is requeued; the use is reported")
    func greenChannelPreemptsP3() async throws {
        let grace = 0.5
        let engine = SimulatedEngine(nodes: [], speed: 1, clock: { Date().timeIntervalSince1970 })
        let reservoir = Reservoir(
            store: try SQLiteStore(path: nil), engine: engine,
            configuration: .init(cycleInterval: 0.05, preemptionGraceSeconds: grace), logger: InProcessServer.quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        try await InProcessServer.with(reservoir) { api, _ in
            let t = try await Fixture.setUp(api, alphaQuota: (0, 8), betaQuota: (0, 8))
            // Beta's best-effort gang fills both nodes.
            let low = try await api.post("/v1/jobs", token: t.bob, json: Fixture.job("low", gpus: 4, replicas: 2, runtime: 100_000, priority: "P3"))
            let lowID = try #require(low.object["id"] as? String, "\(low.text)")
            #expect(try await api.waitForJob(lowID, token: t.bob) { $0 == "running" }.final == "running")

            // A member may not ask for P0 herself, but the green channel's grant runs her job as P0.
            let refused = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("self-made-p0", gpus: 4, priority: "P0"))
            #expect(refused.status == 403, "\(refused.text)")
            // Alpha's emergency approver opens the green channel: approved in the same call, a P0 grant.
            let approver = try await Self.user(api, "alpha-duty", tenant: "alpha", role: .emergencyApprover)
            let notAnApprover = try await api.post("/v1/emergencies", token: t.alice, json: Self.emergencyForm())
            #expect(notAnApprover.status == 403, "\(notAnApprover.text)")
            let opened = try await api.post("/v1/emergencies", token: approver, json: Self.emergencyForm())
            #expect(opened.status == 201 && (opened.object["message"] as? String ?? "").hasPrefix("approved"), "\(opened.text)")
            let granted = try #require(opened.object["grant"] as? [String: Any], "\(opened.text)")
            #expect(granted["priority"] as? String == "P0" && granted["tenant"] as? String == "alpha", "\(granted)")
            let grant = GrantID(try #require(granted["id"] as? String))
            let urgent = try await api.post("/v1/jobs", token: t.alice, json: Self.underGrant(grant, "hotfix", runtime: 1))
            #expect(urgent.status == 201 && urgent.object["priority"] as? String == "P0", "\(urgent.text)")
            let urgentID = try #require(urgent.object["id"] as? String)
            let submittedAt = Date()
            let (final, seen) = try await api.waitForJob(urgentID, token: t.alice, timeout: 20) { $0 == "succeeded" }
            #expect(final == "succeeded", "the emergency job went \(seen)")

            let events = try await api.get("/v1/jobs/\(lowID)/events", token: t.bob).array
            let preemptedAt = events.first { $0["kind"] as? String == "preempted" }?["at"] as? Double
            #expect(preemptedAt.map { $0 - submittedAt.timeIntervalSince1970 >= grace * 0.9 } == true, "evicted only after its grace: \(events)")
            #expect(try await api.waitForJob(lowID, token: t.bob, timeout: 20) { $0 == "running" }.final == "running", "the victim was requeued and runs again")

            // Every use is reported: the grant, its job, and what it preempted (named to the operator only).
            let report = try await api.get("/v1/grants?emergency=true", token: Fixture.operatorToken).array
            #expect(report.count == 1, "\(report)")
            #expect(((report.first?["grant"] as? [String: Any])?["emergency"] as? [String: String])?["incident"] == "INC-42", "\(report)")
            let listed = try await api.get("/v1/emergencies", token: Fixture.operatorToken).array
            #expect(listed.compactMap { ($0["grant"] as? [String: Any])?["id"] as? String } == [grant.rawValue], "the green channel's report route")
            #expect((report.first?["preempted"] as? [[String: Any]])?.compactMap { $0["job"] as? String } == [lowID], "\(report)")
            let asMember = try await api.get("/v1/grants/\(grant)", token: t.alice)
            let hidden = try #require((asMember.object["preempted"] as? [[String: Any]])?.first, "\(asMember.text)")
            #expect(hidden["job"] == nil && hidden["tenant"] == nil && hidden["priority"] as? String == "P3")
            #expect(try await api.get("/v1/grants?emergency=false", token: Fixture.operatorToken).array.isEmpty)
            let jobAsOperator = try await api.get("/v1/jobs/\(urgentID)", token: Fixture.operatorToken)
            #expect(jobAsOperator.object["preempted"] as? [String] == [lowID], "\(jobAsOperator.text)")
            let jobAsMember = try await api.get("/v1/jobs/\(urgentID)", token: t.alice)
            #expect((jobAsMember.object["preempted"] as? [String] ?? []).isEmpty, "another tenant's job id is not shown to a member: \(jobAsMember.text)")
            _ = try await api.send(.POST, "/v1/jobs/\(lowID)/cancel", token: t.bob)
        }
    }

    @Test("reservoir submit --grant, reservoir grant list [--emergency] and grant show against a live server")
    func grantCommands() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-grant-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with { api, reservoir in
            let t = try await Fixture.setUp(api)
            let now = reservoir.now()
            let grant = try Self.grant(reservoir, gpus: 2, from: now - 1, to: now + 3600)
            let file = dir.appendingPathComponent("job.yaml")
            try "name: under-grant\nruntimeSeconds: 86400\nrequest:\n  gpus: 2\n".write(to: file, atomically: true, encoding: .utf8)

            let submitted = try await runCLI(["submit", file.path, "--grant", grant.id.rawValue], server: api.base, token: t.alice, directory: dir)
            #expect(submitted.status == 0 && submitted.stdout.contains("P1") && submitted.stdout.contains("p1"), "\(submitted.stdout)\(submitted.stderr)")
            let list = try await runCLI(["grant", "list"], server: api.base, token: t.alice, directory: dir)
            #expect(list.status == 0 && list.stdout.contains(grant.id.rawValue) && list.stdout.contains("A100-80GB"), "\(list.stdout)\(list.stderr)")
            let emergencies = try await runCLI(["grant", "list", "--emergency"], server: api.base, token: t.alice, directory: dir)
            #expect(emergencies.status == 0 && !emergencies.stdout.contains(grant.id.rawValue), "\(emergencies.stdout)\(emergencies.stderr)")
            let show = try await runCLI(["grant", "show", grant.id.rawValue], server: api.base, token: t.alice, directory: dir)
            #expect(show.status == 0 && show.stdout.contains("partition p1"), "\(show.stdout)\(show.stderr)")
            #expect(show.stdout.contains("job-"), "its job is listed: \(show.stdout)")
            let missing = try await runCLI(["grant", "show", "grant-999999"], server: api.base, token: t.alice, directory: dir)
            #expect(missing.status != 0 && missing.stderr.contains("no grant grant-999999"), "\(missing.stderr)")
            // The green channel from the CLI: the shipped example, opened by alpha's emergency approver.
            let duty = try await Self.user(api, "alpha-duty", tenant: "alpha", role: .emergencyApprover)
            let example = Executable.packageRoot.appendingPathComponent("examples/request-emergency.yaml").path
            let opened = try await runCLI(["emergency", "open", "-f", example], server: api.base, token: duty, directory: dir)
            #expect(opened.status == 0 && opened.stdout.contains("granted") && opened.stdout.contains("P0"), "\(opened.stdout)\(opened.stderr)")
            let refusedOpen = try await runCLI(["emergency", "open", "-f", example], server: api.base, token: t.alice, directory: dir)
            #expect(refusedOpen.status != 0 && refusedOpen.stderr.contains("emergency"), "\(refusedOpen.stderr)")
            let uses = try await runCLI(["emergency", "list"], server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect(uses.status == 0 && uses.stdout.contains("P0") && !uses.stdout.contains(grant.id.rawValue), "\(uses.stdout)\(uses.stderr)")

            let late = try Self.grant(reservoir, number: 900, gpus: 1, from: now - 7200, to: now - 3600)
            let refused = try await runCLI(["submit", file.path, "--grant", late.id.rawValue], server: api.base, token: t.alice, directory: dir)
            #expect(refused.status != 0 && refused.stderr.contains("admits no new work"), "\(refused.stderr)")
        }
    }
}
