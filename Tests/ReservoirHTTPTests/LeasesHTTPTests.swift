import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// Leases over HTTP on a fast-forwarded clock (SPEC §5.7): the 7/3/1-day notices of an L2 lease, an
/// extension asked, judged against the waiting queue and approved (the notices re-arm for the new end),
/// the reclamation at the new end; a refused extension and every bad input; the lease terms at intake.
@Suite("End to end: leases, notices and extensions")
struct LeasesHTTPTests {
    static let day = 86_400.0

    static func reservoir(clock: ManualClock, maxExtensions: Int = 2) throws -> Reservoir {
        var configuration = Reservoir.Configuration(cycleInterval: 0.05, preemptionGraceSeconds: 0.5)
        configuration.leases.extensionMaxCount = maxExtensions
        let store = try SQLiteStore(path: nil)
        let engine = SimulatedEngine(inventory: { (try? store.inventory().nodes) ?? [] }, speed: 1, clock: clock.function)
        let reservoir = Reservoir(store: store, engine: engine, configuration: configuration, logger: InProcessServer.quietLogger, clock: clock.function)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        return reservoir
    }

    /// Alice's 7-day L2 lease of 4 A100s in p1, granted now.
    static func lease(_ reservoir: Reservoir, days: Double = 7) throws -> Grant {
        let now = reservoir.now()
        return try GrantSeed.grant(in: reservoir.store, tenant: "alpha", applicant: "alice", gpus: 4, startsAt: now, endsAt: now + days * day)
    }

    /// The lease notices queued so far for `grant`, as days before the end they announced, oldest first.
    static func notices(_ reservoir: Reservoir, _ grant: GrantID) throws -> [String] {
        try reservoir.store.notifications(for: nil, page: PageRequest(limit: 1000)).items
            .filter { $0.topic == "lease.notice" && $0.id.hasPrefix("lease-\(grant)-") }.sorted { $0.createdAt < $1.createdAt }.map(\.id)
    }

    @Test("a 7-day L2 lease: its three notices once each, an extension judged against the queue and approved, notices re-armed, reclaimed at the new end")
    func sevenDayLease() async throws {
        let clock = ManualClock(1_793_000_000)
        let reservoir = try Self.reservoir(clock: clock)
        try await InProcessServer.with(reservoir) { api, _ in
            let t = try await Fixture.setUp(api, betaQuota: (0, 6))
            let grant = try Self.lease(reservoir)
            let end = Int(try #require(grant.endsAt))
            let job = try await api.post("/v1/jobs", token: t.alice, json: ["name": "fine-tune", "grant": grant.id.rawValue, "runtimeSeconds": 30 * Self.day, "request": ["gpus": 4]])
            let jobID = try #require(job.object["id"] as? String, "\(job.text)")
            #expect(try await api.waitForJob(jobID, token: t.alice) { $0 == "running" }.final == "running")

            // Day 0: the 7-day notice falls due at grant time; a second pass sends nothing new.
            try reservoir.leasePass()
            try reservoir.leasePass()
            #expect(try Self.notices(reservoir, grant.id) == ["lease-\(grant.id)-\(end)-7d"])
            clock.advance(4 * Self.day)
            try reservoir.leasePass()
            clock.advance(2 * Self.day)
            try reservoir.leasePass()
            try reservoir.leasePass()
            #expect(try Self.notices(reservoir, grant.id) == ["7d", "3d", "1d"].map { "lease-\(grant.id)-\(end)-\($0)" })
            #expect(try reservoir.store.grant(grant.id)?.noticesSent == [7, 3, 1])
            let notice = try #require(try reservoir.store.notification("lease-\(grant.id)-\(end)-1d"))
            #expect(notice.recipient == .user("alice") && notice.subject.contains("reservoir grant extend \(grant.id)"), "\(notice.subject)")

            // Beta waits for the same capacity: the operator sees it when judging the extension.
            let waiting = try await api.post("/v1/jobs", token: t.bob, json: Fixture.job("waiting", gpus: 3, replicas: 2, runtime: 3_600))
            let waitingID = try #require(waiting.object["id"] as? String, "\(waiting.text)")
            let asked = try await api.post("/v1/grants/\(grant.id)/extensions", token: t.alice, json: ["days": 3, "reason": "the eval set grew"])
            #expect(asked.status == 200, "\(asked.text)")
            #expect((asked.object["extensions"] as? [[String: Any]])?.first?["state"] as? String == "pending")
            #expect(try await api.post("/v1/grants/\(grant.id)/extensions", token: t.alice, json: ["days": 1, "reason": "again"]).status == 409)
            let judged = try await api.get("/v1/grants/\(grant.id)/extensions", token: Fixture.operatorToken)
            let queue = try #require(judged.object["waiting"] as? [[String: Any]], "\(judged.text)")
            #expect(queue.map { $0["job"] as? String } == [waitingID] && judged.object["waitingGPUMilli"] as? Int == 6000, "\(judged.text)")
            let aliceSees = try await api.get("/v1/grants/\(grant.id)/extensions", token: t.alice)
            #expect((aliceSees.object["waiting"] as? [[String: Any]])?.first?["job"] == nil, "another tenant's job is not named: \(aliceSees.text)")
            #expect(try reservoir.store.notifications(for: nil, page: PageRequest(limit: 1000)).items.contains {
                $0.topic == "lease.extension.requested" && $0.recipient == .role(.operator_)
            })

            let approved = try await api.post("/v1/grants/\(grant.id)/extensions/1/decision", token: Fixture.operatorToken, json: ["verdict": "approve", "reason": "nothing urgent waits"])
            #expect(approved.status == 200, "\(approved.text)")
            let newEnd = end + 3 * Int(Self.day)
            #expect(approved.object["endsAt"] as? Double == Double(newEnd) && approved.object["remaining"] as? Int == 1)
            #expect(try await api.post("/v1/grants/\(grant.id)/extensions/1/decision", token: Fixture.operatorToken, json: ["verdict": "refuse", "reason": "twice"]).status == 409)

            // Re-armed for the new end (day 10): the 7-day mark (day 3) is past; the 3- and 1-day notices follow.
            try reservoir.leasePass()
            clock.advance(1 * Self.day)
            try reservoir.leasePass()
            clock.advance(2 * Self.day)
            try reservoir.leasePass()
            #expect(try Self.notices(reservoir, grant.id).suffix(2) == ["3d", "1d"].map { "lease-\(grant.id)-\(newEnd)-\($0)" })
            #expect(try Self.notices(reservoir, grant.id).count == 5)

            // The new end: the lease is reclaimed; the running job gets its grace period and stops.
            clock.advance(1 * Self.day + 1)
            let records = try reservoir.leasePass()
            #expect(records.map(\.object) == [grant.id.rawValue] && records.first?.reason == .expiry && records.first?.actor == "system:leases")
            #expect(try reservoir.leasePass().isEmpty, "reclaimed once")
            #expect(try reservoir.store.grant(grant.id)?.admits(at: clock.now) == false)
            // The scheduler carries the stop out as an eviction with the grace period, on Reservoir's clock.
            var stopped = try #require(try reservoir.store.job(JobID(jobID)))
            let deadline = Date().addingTimeInterval(15)
            while stopped.state.holdsDevices, Date() < deadline {
                clock.advance(0.25)
                try await Task.sleep(nanoseconds: 50_000_000)
                stopped = try #require(try reservoir.store.job(JobID(jobID)))
            }
            #expect(!stopped.state.holdsDevices, "stopped: \(stopped.state)")
            let said = stopped.message ?? ""
            #expect(said.contains("grant \(grant.id) was expired (expiry) by system:leases; it may checkpoint for 0.5 s"), "\(said)")
            #expect(try reservoir.store.reclamation("recl-grant-\(grant.id)-1")?.jobs == [JobID(jobID)])
            #expect(try await api.post("/v1/grants/\(grant.id)/extensions", token: t.alice, json: ["days": 1, "reason": "too late"]).status == 409)
        }
    }

    @Test("a restart (a new Reservoir over the same store) sends no notice twice; notices due together while it was down collapse into one")
    func noticesAcrossARestart() throws {
        let clock = ManualClock(1_793_000_000)
        let first = try Self.reservoir(clock: clock)
        let grant = try Self.lease(first)
        let end = Int(try #require(grant.endsAt))
        try first.leasePass()
        let again = Reservoir(store: first.store, engine: first.engine, configuration: first.configuration, logger: InProcessServer.quietLogger, clock: clock.function)
        try again.leasePass()
        #expect(try Self.notices(again, grant.id) == ["lease-\(grant.id)-\(end)-7d"])
        clock.advance(6.5 * Self.day)  // down past both the 3-day and the 1-day marks
        try again.leasePass()
        try again.leasePass()
        #expect(try Self.notices(again, grant.id) == ["7d", "1d"].map { "lease-\(grant.id)-\(end)-\($0)" })
        #expect(try again.store.grant(grant.id)?.noticesSent == [7, 3, 1])
    }

    @Test("a refused extension keeps the end; extensions past the end, of others' grants, without a reason, too long or too many are refused, nothing changed")
    func refusedAndBadExtensions() async throws {
        let clock = ManualClock(1_793_000_000)
        let reservoir = try Self.reservoir(clock: clock, maxExtensions: 1)
        try await InProcessServer.with(reservoir) { api, _ in
            let t = try await Fixture.setUp(api)
            let grant = try Self.lease(reservoir, days: 2)
            let path = "/v1/grants/\(grant.id)/extensions"
            for (body, status, field) in [
                (#"{"days": 1}"#, 400, "reason"), (#"{"days": 1, "reason": "  "}"#, 400, "reason"), (#"{"days": 4, "reason": "more"}"#, 400, "days"),
                (#"{"days": 0, "reason": "more"}"#, 400, "days"), (#"{"days": "x", "reason": "more"}"#, 400, "days"),
                (#"{"days": 1, "reason": "more", "extra": 1}"#, 400, "extra"),
            ] {
                let r = try await api.send(.POST, path, token: t.alice, body: body)
                #expect(r.status == status && r.errorField == field, "\(body): \(r.text)")
            }
            #expect(try await api.post(path, token: t.bob, json: ["days": 1, "reason": "theirs"]).status == 404)
            #expect(try await api.post("/v1/grants/grant-999999/extensions", token: t.alice, json: ["days": 1, "reason": "none"]).status == 404)
            #expect(try reservoir.store.grant(grant.id)?.extensions == nil, "nothing stored")

            #expect(try await api.post(path, token: t.alice, json: ["days": 2, "reason": "a second run"]).status == 200)
            #expect(try await api.post("\(path)/1/decision", token: t.alice, json: ["verdict": "approve", "reason": "self-served"]).status == 403)
            #expect(try await api.post("\(path)/1/decision", token: Fixture.operatorToken, json: ["verdict": "maybe", "reason": "?"]).status == 400)
            #expect(try await api.post("\(path)/7/decision", token: Fixture.operatorToken, json: ["verdict": "approve", "reason": "?"]).status == 404)
            let refused = try await api.post("\(path)/1/decision", token: Fixture.operatorToken, json: ["verdict": "refuse", "reason": "the queue waits for these GPUs"])
            #expect(refused.status == 200, "\(refused.text)")
            #expect(refused.object["endsAt"] as? Double == grant.endsAt && refused.object["remaining"] as? Int == 1)
            let told = try #require(try reservoir.store.notification("lease-\(grant.id)-extension-1-refuse"))
            #expect(told.recipient == .user("alice") && told.subject.contains("the queue waits for these GPUs"))

            #expect(try await api.post(path, token: t.alice, json: ["days": 1, "reason": "once more"]).status == 200)
            let third = try await api.post(path, token: t.alice, json: ["days": 1, "reason": "again"])
            #expect(third.status == 409, "one pending: \(third.text)")
            _ = try await api.post("\(path)/2/decision", token: Fixture.operatorToken, json: ["verdict": "approve", "reason": "ok"])
            let tooMany = try await api.post(path, token: t.alice, json: ["days": 1, "reason": "and again"])
            #expect(tooMany.status == 409 && tooMany.errorMessage.contains("extensionMaxCount"), "\(tooMany.text)")

            let ended = try GrantSeed.grant(in: reservoir.store, number: 2, tenant: "alpha", applicant: "alice", gpus: 1, startsAt: clock.now - Self.day, endsAt: clock.now - 1)
            let late = try await api.post("/v1/grants/\(ended.id)/extensions", token: t.alice, json: ["days": 1, "reason": "late"])
            #expect(late.status == 409 && late.errorMessage.contains("before it ends"), "\(late.text)")
            let open = try GrantSeed.grant(in: reservoir.store, number: 3, tenant: "alpha", applicant: "alice", gpus: 1, startsAt: clock.now, endsAt: nil)
            #expect(try await api.post("/v1/grants/\(open.id)/extensions", token: t.alice, json: ["days": 1, "reason": "no term"]).status == 409)
        }
    }

    @Test("intake bounds a lease by its category and gives an L2 request without a window its full term")
    func leaseTermsAtIntake() async throws {
        try await InProcessServer.with { api, _ in
            _ = try await Fixture.setUp(api)
            var form = ExampleWorld.requestForm(tenant: "alpha", gpus: 1)
            var training = try #require(form["training"] as? [String: Any])
            training["durationHours"] = 200
            form["training"] = training
            let long = try await api.post("/v1/requests", token: Fixture.operatorToken, json: form)
            #expect(long.status == 400 && long.errorField == "training.durationHours" && long.errorMessage.contains("7.0 days"), "\(long.text)")
            training["durationHours"] = nil
            form["training"] = training
            let open = try await api.post("/v1/requests", token: Fixture.operatorToken, json: form)
            #expect(open.status == 201, "\(open.text)")
            #expect(((open.object["request"] as? [String: Any])?["asked"] as? [String: Any])?["durationHours"] as? Double == 168, "\(open.text)")
            form["category"] = "research"
            let research = try await api.post("/v1/requests", token: Fixture.operatorToken, json: form)
            #expect(research.status == 400 && research.errorField == "training.durationHours", "research says how long: \(research.text)")
        }
    }
}

/// `reservoir grant extend|extensions|extension approve|refuse` against a live server.
@Suite("Lease extension CLI against a live server")
struct LeaseExtensionCLITests {
    @Test("grant extend, extensions [--pending], extension approve and refuse, and a refusal naming the field")
    func extensionCommands() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let clock = ManualClock(1_793_000_000)
        let reservoir = try LeasesHTTPTests.reservoir(clock: clock)
        let dir = try Executable.temporaryDirectory("reservoir-lease-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with(reservoir) { api, _ in
            let t = try await Fixture.setUp(api)
            let grant = try LeasesHTTPTests.lease(reservoir)
            func cli(_ arguments: [String], token: String) async throws -> (status: Int32?, stdout: String, stderr: String) {
                try await runCLI(arguments, server: api.base, token: token, directory: dir)
            }
            let tooLong = try await cli(["grant", "extend", grant.id.rawValue, "--days", "9", "--reason", "more"], token: t.alice)
            #expect(tooLong.status != 0 && tooLong.stderr.contains("days"), "\(tooLong.stderr)")
            let asked = try await cli(["grant", "extend", grant.id.rawValue, "--days", "3", "--reason", "the eval set grew"], token: t.alice)
            #expect(asked.status == 0 && asked.stdout.contains("pending") && asked.stdout.contains("waiting for this capacity"), "\(asked.stdout)\(asked.stderr)")
            let pending = try await cli(["grant", "extensions", "--pending"], token: Fixture.operatorToken)
            #expect(pending.status == 0 && pending.stdout.contains(grant.id.rawValue) && pending.stdout.contains("the eval set grew"), "\(pending.stdout)\(pending.stderr)")
            let approved = try await cli(["grant", "extension", "approve", grant.id.rawValue, "1", "--reason", "nothing waits"], token: Fixture.operatorToken)
            #expect(approved.status == 0 && approved.stdout.contains("approved") && approved.stdout.contains("1 extension(s) still allowed"), "\(approved.stdout)\(approved.stderr)")
            let none = try await cli(["grant", "extensions", "--pending"], token: Fixture.operatorToken)
            #expect(none.status == 0 && none.stdout.contains("no pending extensions"), "\(none.stdout)")
            _ = try await cli(["grant", "extend", grant.id.rawValue, "--days", "1", "--reason", "one more day"], token: t.alice)
            let refused = try await cli(["grant", "extension", "refuse", grant.id.rawValue, "2", "--reason", "the queue waits"], token: Fixture.operatorToken)
            #expect(refused.status == 0 && refused.stdout.contains("refused"), "\(refused.stdout)\(refused.stderr)")
            let shown = try await cli(["grant", "extensions", grant.id.rawValue, "--json"], token: t.alice)
            #expect(shown.status == 0 && shown.stdout.contains("\"remaining\""), "\(shown.stdout)")
        }
    }
}
