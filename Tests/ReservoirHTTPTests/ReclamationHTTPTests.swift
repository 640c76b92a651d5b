import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// Taking grants back over HTTP and the CLI: the owner's early return (its running job checkpoints in its
/// grace period, then stops; the quota falls back; a second return is refused), the operators' forced
/// reclaim (impossible without an approval record), and the monthly listing in each caller's scope.
@Suite("End to end: grant return, forced reclaim and reclamation records")
struct ReclamationHTTPTests {
    static let grace = 0.5

    /// A server on the real clock whose engine runs jobs at real speed, so the grace period is observable.
    static func reservoir() throws -> Reservoir {
        let engine = SimulatedEngine(nodes: [], speed: 1, clock: { Date().timeIntervalSince1970 })
        let reservoir = Reservoir(
            store: try SQLiteStore(path: nil), engine: engine,
            configuration: .init(cycleInterval: 0.05, preemptionGraceSeconds: grace), logger: InProcessServer.quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        return reservoir
    }

    /// Alpha's grant of 4 A100s in p1 for a day.
    static func grant(_ reservoir: Reservoir, number: Int64 = 1) throws -> Grant {
        let now = reservoir.now()
        return try GrantSeed.grant(in: reservoir.store, number: number, tenant: "alpha", applicant: "alice", gpus: 4, startsAt: now - 10, endsAt: now + 86_400)
    }

    @Test("the owner returns a grant: its running job checkpoints in its grace, then stops; the quota falls back; the record credits what was given up")
    func ownerReturnsAGrant() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-return-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with(try Self.reservoir()) { api, reservoir in
            let t = try await Fixture.setUp(api)
            let grant = try Self.grant(reservoir)
            let job = try await api.post("/v1/jobs", token: t.alice, json: ["name": "tune", "grant": grant.id.rawValue, "runtimeSeconds": 86_400, "request": ["gpus": 4]])
            let jobID = try #require(job.object["id"] as? String, "\(job.text)")
            #expect(try await api.waitForJob(jobID, token: t.alice) { $0 == "running" }.final == "running")
            #expect(try await api.get("/v1/quotas?tenant=alpha", token: t.alice).array.first?["limit"] as? Double == 8)

            #expect(try await api.send(.POST, "/v1/grants/\(grant.id)/return", token: t.bob).status == 404, "not beta's to see")
            let cli = try await runCLI(["grant", "return", grant.id.rawValue, "--reason", "finished early"], server: api.base, token: t.alice, directory: dir)
            #expect(cli.status == 0 && cli.stdout.contains("\(grant.id): taken back (voluntary)") && cli.stdout.contains(jobID), "\(cli.stdout)\(cli.stderr)")
            let returnedAt = Date()

            let record = try #require(try reservoir.store.reclamation("recl-grant-\(grant.id)-1"))
            #expect(record.reason == .voluntary && record.actor == "user:alice" && record.jobs == [JobID(jobID)] && record.approvedBy == nil)
            #expect(abs(record.freedGPUHours - 4 * 24) < 0.1, "4 GPUs × the ~24 h left: \(record.freedGPUHours)")
            #expect(try reservoir.store.grant(grant.id)?.state == .returned && reservoir.store.request(grant.request)?.state == .returned)
            #expect(try await api.get("/v1/quotas?tenant=alpha", token: t.alice).array.first?["limit"] as? Double == 4, "the grant's raise is gone")

            let (final, seen) = try await api.waitForJob(jobID, token: t.alice, timeout: 20) { $0 == "cancelled" }
            #expect(final == "cancelled", "the job stopped, not requeued: \(seen)")
            let events = try await api.get("/v1/jobs/\(jobID)/events", token: t.alice).array
            let endedAt = try #require(events.last?["at"] as? Double, "\(events)")
            #expect(endedAt - returnedAt.timeIntervalSince1970 >= Self.grace * 0.9, "stopped only after its checkpoint grace: \(events)")
            #expect(!events.contains { $0["kind"] as? String == "preempted" }, "never requeued: \(events)")

            let again = try await api.send(.POST, "/v1/grants/\(grant.id)/return", token: t.alice)
            #expect(again.status == 409, "\(again.text)")
            let cliAgain = try await runCLI(["grant", "return", grant.id.rawValue], server: api.base, token: t.alice, directory: dir)
            #expect(cliAgain.status != 0 && cliAgain.stderr.contains("already taken back"), "\(cliAgain.stderr)")
            #expect(try reservoir.store.reclamations(since: 0, until: .infinity, tenant: nil, page: PageRequest()).items.count == 1)

            let listed = try await runCLI(["reclamations", "--month", ReportMonth(containing: reservoir.now()).description], server: api.base, token: t.alice, directory: dir)
            #expect(listed.status == 0 && listed.stdout.contains(grant.id.rawValue) && listed.stdout.contains("voluntary"), "\(listed.stdout)\(listed.stderr)")
            #expect(listed.stdout.contains("1 reclamation, 9") && listed.stdout.contains("GPU-hours freed"), "4 GPUs × ~24 h: \(listed.stdout)")
        }
    }

    @Test("a forced reclaim needs an operator and an approval record; records are listed by month, tenant and reason in each caller's scope")
    func forcedReclaimAndListing() async throws {
        try await InProcessServer.with(try Self.reservoir()) { api, reservoir in
            let t = try await Fixture.setUp(api)
            let grant = try Self.grant(reservoir)
            let op = Fixture.operatorToken
            let path = "/v1/grants/\(grant.id)/reclaim"
            let member = try await api.post(path, token: t.alice, json: ["approval": "OPS-7", "reason": "incident"])
            #expect(member.status == 403, "\(member.text)")
            for (body, field) in [(#"{"reason": "incident"}"#, "approval"), (#"{"approval": " ", "reason": "incident"}"#, "approval"),
                                  (#"{"approval": "OPS-7", "reason": ""}"#, "reason"), (#"{"approval": 7, "reason": "x"}"#, "approval")] {
                let r = try await api.send(.POST, path, token: op, body: body)
                #expect(r.status == 400 && r.errorField == field, "\(body): \(r.text)")
            }
            #expect(try reservoir.store.grant(grant.id)?.state == .active, "refused: nothing taken back")
            #expect(throws: ReservoirError.self) {
                try reservoir.reclamations.reclaimGrant(grant.id, reason: .forced, actor: "user:operator", approvedBy: nil, note: "no ticket")
            }

            let done = try await api.post(path, token: op, json: ["approval": "OPS-7", "reason": "capacity for the outage"])
            #expect(done.status == 200 && done.object["reason"] as? String == "forced" && done.object["approvedBy"] as? String == "OPS-7", "\(done.text)")
            #expect(try reservoir.store.grant(grant.id)?.state == .reclaimed && reservoir.store.request(grant.request)?.state == .reclaimed)
            #expect(try await api.post(path, token: op, json: ["approval": "OPS-7", "reason": "again"]).status == 409)
            #expect(try await api.send(.POST, "/v1/grants/\(grant.id)/return", token: t.alice).status == 409)

            // Records of other months and tenants, through the store as the other passes write them.
            let lastMonth = ReportMonth(containing: ReportMonth(containing: reservoir.now()).since - 1)
            for (id, tenant, at) in [("recl-job-old-1", "alpha", lastMonth.since + 60), ("recl-job-beta-1", "beta", reservoir.now())] {
                try reservoir.store.recordReclamation(
                    ReclamationRecord(id: id, kind: .job, object: id, reason: .idle, tenant: TenantID(tenant), gpuMilli: 1000, at: at, actor: "system:idle",
                                      freedGPUHours: 1, note: "idle"),
                    notices: [], by: Attribution(actor: "system:idle", at: at))
            }
            func ids(_ query: String, _ token: String) async throws -> [String] {
                try await api.get("/v1/reclamations\(query)", token: token).array.compactMap { $0["id"] as? String }
            }
            let recordID = "recl-grant-\(grant.id)-1"
            #expect(try await ids("", op) == ["recl-job-beta-1", recordID])
            #expect(try await ids("?month=\(lastMonth)", op) == ["recl-job-old-1"])
            #expect(try await ids("?tenant=alpha", op) == [recordID])
            #expect(try await ids("?reason=idle", op) == ["recl-job-beta-1"])
            #expect(try await ids("", t.alice) == [recordID], "a member sees her own tenant's")
            #expect(try await ids("", t.bob) == ["recl-job-beta-1"])
            #expect(try await api.get("/v1/reclamations?tenant=alpha", token: t.bob).status == 403)
            for bad in ["?month=2026-13", "?month=11-2026", "?reason=bored", "?limit=0"] {
                #expect(try await api.get("/v1/reclamations\(bad)", token: op).status == 400, "\(bad)")
            }
            #expect(try await api.get("/v1/reclamations?month=2026-13", token: op).errorField == "month")
        }
    }
}
