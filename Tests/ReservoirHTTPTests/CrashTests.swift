import Foundation
import ReservoirCore
import ReservoirStore
import Testing
import ReservoirTestSupport

/// The real `reservoir serve` process: a burst of concurrent submissions, `kill -9` mid-burst,
/// restart on the same database. Acknowledged jobs survive; no device is allocated twice;
/// reconciliation brings running jobs back.
@Suite("Crash test with the real server binary", .serialized)
struct CrashTests {
    actor Tally {
        var acknowledged: [String] = []
        var refused: [Int] = []
        var failed = 0
        func ack(_ id: String) { acknowledged.append(id) }
        func refuse(_ status: Int) { refused.append(status) }
        func fail() { failed += 1 }
    }

    /// Starts `reservoir serve` on `dataDir`; `environment`: settings for this life (a shifted clock, a webhook).
    static func start(dataDir: URL, in dir: URL, environment: [String: String] = [:]) async throws -> (Child, API) {
        let binary = try #require(Executable.reservoir, "build the reservoir executable first (swift build)")
        let child = try Child(
            binary, ["serve", "--port", "0", "--data-dir", dataDir.path, "--speed", "60", "--log-level", "warning"],
            environment: environment.merging(["RESERVOIR_BOOTSTRAP_TOKEN": Fixture.operatorToken]) { $1 }, directory: dir)
        let url = try #require(await child.waitForLine(containing: "Reservoir is running at ", timeout: 30), "server did not start: \(child.stderr)")
        let port = try #require(URLComponents(string: url)?.port, "no port in \(url)")
        return (child, API(port: port))
    }

    static func check(_ path: String) throws -> (violations: [String], jobs: [Job]) {
        let store = try SQLiteStore(path: path)
        return (try StoreInvariants.violations(store), try store.jobs(tenant: nil, states: nil, limit: 10_000_000))
    }

    @Test("kill -9 mid-burst: acknowledged jobs survive, no double allocation, reconciliation resumes running jobs")
    func crashMidBurst() async throws {
        let dir = try Executable.temporaryDirectory("reservoir-crash")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataDir = dir.appendingPathComponent("data")
        let database = dataDir.appendingPathComponent("reservoir.sqlite").path

        let t0 = Date()
        func phase(_ name: String) { print(String(format: "crash test: %@ at %.1f s", name, Date().timeIntervalSince(t0))) }
        // 1. First life: set up, then a burst of 200 concurrent submissions, killed mid-way.
        let (first, api) = try await Self.start(dataDir: dataDir, in: dir)
        phase("server up")
        let t = try await Fixture.setUp(api, alphaQuota: (4, 8), betaQuota: (4, 8))
        // Shares run in the time-sliced pool p2 (p1 is exclusive: whole GPUs only).
        for tenant in ["alpha", "beta"] {
            let q = try await api.put("/v1/quotas", token: Fixture.operatorToken, json: ["tenant": tenant, "pool": "p2", "guaranteed": 1, "limit": 2])
            try #require(q.status == 200, "quota: \(q.text)")
        }
        phase("tenancy set up")
        let tally = Tally()
        let burst = 200
        let killAfter = 80
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<burst {
                group.addTask {
                    // A mix: long jobs (keep running across the crash), short ones, fractional shares, gangs.
                    var job = Fixture.job("burst-\(i)", gpus: 1, runtime: i % 3 == 0 ? 36_000 : 30)
                    if i % 7 == 0 { job = Fixture.job("gang-\(i)", gpus: 2, replicas: 2, runtime: 36_000) }
                    if i % 5 == 0 {
                        job["request"] = ["gpus": 1, "gpuMilli": 250, "cpuMilli": 500, "memoryMiB": 512]
                        job["pool"] = "p2"
                    }
                    do {
                        let r = try await api.post("/v1/jobs", token: i.isMultiple(of: 2) ? t.alice : t.bob, json: job)
                        if r.status == 201, let id = r.object["id"] as? String { await tally.ack(id) } else { await tally.refuse(r.status) }
                    } catch {
                        await tally.fail()
                    }
                }
            }
            // kill -9 once enough submissions are acknowledged; then stop the requests still queued in the
            // client (its pool would otherwise retry connecting until their deadline).
            let deadline = Date().addingTimeInterval(30)
            while await tally.acknowledged.count < killAfter, Date() < deadline { try? await Task.sleep(nanoseconds: 1_000_000) }
            first.kill9()
            try? await Task.sleep(nanoseconds: 100_000_000)
            group.cancelAll()
        }
        first.kill9()
        phase("burst done")
        let acknowledged = await tally.acknowledged
        let refused = await tally.refused
        let failed = await tally.failed
        print("crash test: \(acknowledged.count) acknowledged, \(refused.count) refused, \(failed) failed (connection) of \(burst) before/at kill -9")
        #expect(acknowledged.count >= killAfter)
        #expect(refused.allSatisfy { $0 >= 500 }, "a valid job was refused with \(refused)")

        // 2. The database after the crash.
        let (violations, jobs) = try Self.check(database)
        #expect(violations.isEmpty, "after kill -9: \(violations)")
        let stored = Set(jobs.map(\.id.rawValue))
        let lost = acknowledged.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "acknowledged but lost: \(lost)")
        let wereRunning = jobs.filter { $0.state.holdsDevices }.map(\.id.rawValue)
        #expect(!wereRunning.isEmpty, "nothing was running at the crash; the reconciliation check would be empty")

        // 3. Second life on the same database.
        let (second, api2) = try await Self.start(dataDir: dataDir, in: dir)
        defer { second.kill9() }
        phase("restarted")
        let op = Fixture.operatorToken
        var settled: [[String: Any]] = []
        var reconciles = 0
        let deadline = Date().addingTimeInterval(20)
        repeat {
            let audit = try await api2.get("/v1/audit?limit=1000", token: op).array
            reconciles = audit.filter { $0["action"] as? String == "job.reconcile" }.count
            settled = try await api2.get("/v1/jobs?limit=1000", token: op).array
            // Settled: every job active at the crash was reconciled, nothing sits admitted-but-not-started,
            // nothing pending without a reason.
            let stuck = settled.filter { s in
                let state = s["state"] as? String
                return state == "admitted" || ((state == "queued" || state == "preempted") && s["reason"] == nil)
            }
            if reconciles >= wereRunning.count && stuck.isEmpty { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        } while Date() < deadline
        phase("settled")
        #expect(reconciles >= wereRunning.count, "\(reconciles) reconciliations audited for \(wereRunning.count) active jobs")
        let byID = Dictionary(settled.compactMap { s in (s["id"] as? String).map { ($0, s) } }, uniquingKeysWith: { a, _ in a })
        #expect(acknowledged.allSatisfy { byID[$0] != nil }, "acknowledged jobs missing after restart")
        for id in wereRunning {
            let job = byID[id]
            let state = job?["state"] as? String
            // Back on the engine, finished, or requeued (progress kept) with a reason: never stuck.
            let ok = state == "running" || state == "succeeded" || ((state == "preempted" || state == "queued") && job?["reason"] != nil)
            #expect(ok, "job \(id) was active before the crash and is \(state ?? "missing") after restart")
        }
        #expect(!settled.contains { $0["state"] as? String == "admitted" }, "jobs stuck in admitted after reconciliation")
        #expect(settled.contains { $0["state"] as? String == "running" }, "nothing runs after restart")
        let (liveViolations, _) = try Self.check(database)
        #expect(liveViolations.isEmpty, "after restart: \(liveViolations)")
        // Metering across the crash: every job active at it kept its usage session (closed by the reconciler,
        // or still open), none has two open (the invariants above also match open sessions to held GPUs).
        let sessions = try await api2.get("/v1/usage?limit=1000", token: op).object["sessions"] as? [[String: Any]] ?? []
        for id in wereRunning {
            let metered = sessions.filter { $0["job"] as? String == id }
            #expect(!metered.isEmpty, "job \(id) held devices before the crash and has no usage session")
            #expect(metered.filter { $0["endedAt"] == nil }.count <= 1, "job \(id) has two open sessions: \(metered)")
            #expect(metered.allSatisfy { $0["endedAt"] == nil || ["reconciled", "ended", "preempted"].contains($0["closedBy"] as? String ?? "") })
        }

        // 4. A figure for the lead: submissions per second over HTTP (debug build, not asserted).
        let rate = try await Self.measureSubmissions(api2, token: t.alice, count: 200, concurrency: 16)
        print(String(format: "throughput: %.0f submissions/second over HTTP (200 jobs, 16 concurrent clients, debug build, reservoir serve)", rate))
        second.kill9()
        let (finalViolations, _) = try Self.check(database)
        #expect(finalViolations.isEmpty, "after the throughput run: \(finalViolations)")
    }

    /// Submits `count` small jobs from `concurrency` clients and returns acknowledged submissions per second.
    /// Not asserted: a figure for the record, printed by the caller.
    static func measureSubmissions(_ api: API, token: String, count: Int, concurrency: Int) async throws -> Double {
        let started = Date()
        let acknowledged = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var ok = 0
                    for i in stride(from: worker, to: count, by: concurrency) {
                        let job: [String: Any] = ["name": "rate-\(i)", "pool": "p1", "runtimeSeconds": 30, "request": ["gpus": 0, "cpuMilli": 100, "memoryMiB": 64]]
                        if let r = try? await api.post("/v1/jobs", token: token, json: job), r.status == 201 { ok += 1 }
                    }
                    return ok
                }
            }
            return await group.reduce(0, +)
        }
        let seconds = Date().timeIntervalSince(started)
        if acknowledged != count { print("throughput: only \(acknowledged) of \(count) submissions acknowledged") }
        return Double(acknowledged) / max(seconds, 0.001)
    }
}
