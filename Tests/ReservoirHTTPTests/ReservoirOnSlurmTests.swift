import Foundation
import Logging
import ReservoirCore
import ReservoirEngine
import ReservoirHTTP
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ReservoirSlurm

/// Reservoir's HTTP API driving the real Slurm dev cluster (`scripts/slurm-dev-cluster.sh start`):
/// tenancy is provisioned into Slurm, jobs admitted by Reservoir run there, cancel and preemption reach
/// it, over-quota work waits in Reservoir, and metering matches Slurm's accounting.
///
/// Uses Slurm nodes rn3 and rn4 only (the engine suites in ReservoirSlurmTests use rn1 and rn2 too, but
/// the suites run one at a time), in a pool of its own with a fresh name so reruns on a warm cluster
/// never see old objects. Skipped only when no cluster is found and `CI` is unset.
@Suite(.serialized, .enabled(if: ReservoirOnSlurm.shouldRun, "no Slurm dev cluster (scripts/slurm-dev-cluster.sh start) and CI unset"))
struct ReservoirOnSlurmTests {
    @Test("tenant, quota and classes reach Slurm; a 2-GPU job runs there and is metered as Slurm accounted it; an over-quota job waits in Reservoir; cancel reaches Slurm")
    func tenancyJobsCancelAndMetering() async throws {
        let world = try await ReservoirOnSlurm.make()
        try await InProcessServer.with(world.reservoir) { api, _ in
            let op = Fixture.operatorToken
            let alpha = try await world.tenant(api, "alpha", guaranteed: 2, limit: 2)

            // Provisioning (woken by the change): account with its GPU limit, the four class QOS, the pool's partition.
            let assoc = try await world.eventually("account \(alpha.tenant) with GrpTRES gres/gpu=2") {
                try await world.slurm("sacctmgr", ["-n", "-P", "list", "association", "where", "account=\(alpha.tenant)", "format=account,grptres"])
            } until: { $0.contains("gres/gpu=2") }
            #expect(assoc.contains("gres/gpu=2"), "\(assoc)")
            let qos = try await world.slurm("sacctmgr", ["-n", "-P", "list", "qos", "format=name,preempt"])
            for name in ["reservoir-p0", "reservoir-p1", "reservoir-p2", "reservoir-p3"] { #expect(qos.contains(name), "\(qos)") }
            let partition = try await world.slurm("scontrol", ["show", "partition", world.pool.rawValue])
            #expect(partition.contains("Nodes=rn[3-4]") || partition.contains("Nodes=rn3,rn4"), "\(partition)")

            // A long job takes alpha's whole quota; a second one must wait in Reservoir, not in Slurm.
            let long = try await world.submit(api, alpha, "long", gpus: 2, runtime: 300)
            let (longState, _) = try await api.waitForJob(long, token: alpha.token, timeout: 60) { $0 == "running" }
            #expect(longState == "running")
            let second = try await world.submit(api, alpha, "second", gpus: 2, runtime: 3)
            let waiting = try await world.eventually("explain of \(second)") {
                try await api.get("/v1/jobs/\(second)/explain", token: alpha.token)
            } until: { $0.object["kind"] as? String == "quota" }
            #expect(waiting.object["kind"] as? String == "quota", "\(waiting.text)")
            #expect(try await world.engine.status(JobID(second)).phase == .unknown, "an over-quota job never reaches Slurm")

            // Cancel through Reservoir reaches Slurm; the waiting job then runs there with two GPUs.
            let cancelled = try await api.send(.POST, "/v1/jobs/\(long)/cancel", token: alpha.token)
            #expect(cancelled.status == 200, "\(cancelled.text)")
            let gone = try await world.eventually("Slurm cancels \(long)") { try await world.engine.status(JobID(long)) } until: { $0.phase == .cancelled }
            #expect(gone.phase == .cancelled, "\(gone)")
            let (final, seen) = try await api.waitForJob(second, token: alpha.token, timeout: 90) { $0 == "succeeded" || $0 == "failed" }
            #expect(final == "succeeded", "went \(seen)")
            let report = try await world.engine.status(JobID(second))
            let output = try String(contentsOfFile: "\(world.base)/jobs/\(second)-\(report.engineID).out", encoding: .utf8)
            let devices = output.split(separator: "CUDA_VISIBLE_DEVICES=").last?.prefix { $0 != "\n" } ?? ""
            #expect(devices.split(separator: ",").count == 2, "output: \(output)")

            // Metering: the usage Reservoir reports is Slurm's accounting (GPUs × ElapsedRaw) plus the wait from
            // admission (when Reservoir books the devices) to Slurm's start.
            let sacct = try await world.eventually("sacct of \(report.engineID)") {
                try await world.slurm("sacct", ["-j", report.engineID, "-X", "-n", "-P", "-o", "State,ElapsedRaw"])
            } until: { $0.hasPrefix("COMPLETED") }
            let elapsed = try #require(Double(sacct.split(separator: "|").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
            let usage = try await api.get("/v1/usage?tenant=\(alpha.tenant)", token: op)
            let metered = try #require(usage.object["sessions"] as? [[String: Any]]).filter { $0["job"] as? String == second }
                .map { s in Double(s["gpuMilli"] as? Int ?? 0) / 1000 * ((s["endedAt"] as? Double ?? 0) - (s["startedAt"] as? Double ?? 0)) }
                .reduce(0, +)
            #expect(metered >= 2 * elapsed - 2 && metered - 2 * elapsed <= 2 * 60, "Reservoir metered \(metered) GPU-s; Slurm accounted 2 × \(elapsed)")
        }
    }

    @Test("usage reconciliation: a job run on Slurm agrees with sacct (GET /v1/usage/reconciliation)")
    func usageReconciliationAgainstSacct() async throws {
        let world = try await ReservoirOnSlurm.make()
        try await InProcessServer.with(world.reservoir) { api, reservoir in
            let op = Fixture.operatorToken
            let alpha = try await world.tenant(api, "alpha", guaranteed: 2, limit: 2)
            let since = Int(reservoir.now()) - 1
            let id = try await world.submit(api, alpha, "metered", gpus: 1, runtime: 3)
            let (final, seen) = try await api.waitForJob(id, token: alpha.token, timeout: 90) { $0 == "succeeded" || $0 == "failed" }
            #expect(final == "succeeded", "went \(seen)")
            // Accounting is eventually consistent: slurmdbd gets the end record after the job ends.
            func differs(_ reply: Reply) -> Bool { (reply.object["differences"] as? [[String: Any]] ?? []).contains { $0["job"] as? String == id } }
            let report = try await world.eventually("sacct agrees on \(id)") {
                try await api.get("/v1/usage/reconciliation?since=\(since)", token: op)
            } until: { $0.status == 200 && ($0.object["jobs"] as? Int ?? 0) >= 1 && !differs($0) }
            #expect(report.status == 200 && (report.object["clusters"] as? [String])?.isEmpty == false, "\(report.text)")
            #expect(!differs(report), "\(report.text)")
        }
    }

    @Test("a grant raises the tenant account's GPU limit in Slurm for its window; the expiry pass lowers it again, and so does a reclamation, whose running job leaves Slurm")
    func grantRaisesTheAccountLimit() async throws {
        let world = try await ReservoirOnSlurm.make()
        try await InProcessServer.with(world.reservoir) { api, reservoir in
            let alpha = try await world.tenant(api, "alpha", guaranteed: 2, limit: 2)
            let limit = { try await world.slurm("sacctmgr", ["-n", "-P", "list", "association", "where", "account=\(alpha.tenant)", "format=account,grptres"]) }
            let before = try await world.eventually("account \(alpha.tenant) with GrpTRES gres/gpu=2", limit) { $0.contains("gres/gpu=2") }
            #expect(before.contains("gres/gpu=2"), "\(before)")

            let now = reservoir.now()
            let grant = try GrantSeed.grant(
                in: reservoir.store, tenant: TenantID(alpha.tenant), applicant: UserID("u-\(alpha.tenant)"), pool: world.pool, model: nil, gpus: 4,
                startsAt: now - 1, endsAt: now + 8)
            await reservoir.scheduling.provisionEngines()
            let raised = try await world.eventually("GrpTRES gres/gpu=6 while the grant lasts", limit) { $0.contains("gres/gpu=6") }
            #expect(raised.contains("gres/gpu=6"), "2 stored + 4 granted: \(raised)")
            let job = try await api.post("/v1/jobs", token: alpha.token, json: ["name": "granted", "grant": grant.id.rawValue, "runtimeSeconds": 2, "request": ["gpus": 4]])
            #expect(job.status == 201 && job.object["pool"] as? String == world.pool.rawValue, "\(job.text)")
            let id = try #require(job.object["id"] as? String)
            let (final, seen) = try await api.waitForJob(id, token: alpha.token, timeout: 90) { $0 == "succeeded" || $0 == "failed" }
            #expect(final == "succeeded", "4 GPUs beyond the stored limit of 2 ran on Slurm under the grant: \(seen)")

            // The expiry service ends it at its end (this pass finds nothing left to do if the service came first).
            try await Task.sleep(nanoseconds: UInt64(max(0, now + 8.5 - reservoir.now()) * 1e9))
            try reservoir.grants.expireEnded()
            #expect(try reservoir.store.grant(grant.id)?.state == .expired)
            let lowered = try await world.eventually("GrpTRES back to gres/gpu=2 after the expiry", limit) { $0.contains("gres/gpu=2") }
            #expect(lowered.contains("gres/gpu=2"), "\(lowered)")

            // A reclamation (here the owner's return) removes the raised limit too, and its running job leaves Slurm.
            let second = try GrantSeed.grant(
                in: reservoir.store, number: 2, tenant: TenantID(alpha.tenant), applicant: UserID("u-\(alpha.tenant)"), pool: world.pool, model: nil, gpus: 4,
                startsAt: reservoir.now() - 1, endsAt: reservoir.now() + 3_600)
            await reservoir.scheduling.provisionEngines()
            let raisedAgain = try await world.eventually("GrpTRES gres/gpu=6 under the second grant", limit) { $0.contains("gres/gpu=6") }
            #expect(raisedAgain.contains("gres/gpu=6"), "\(raisedAgain)")
            let long = try await api.post("/v1/jobs", token: alpha.token, json: ["name": "reclaimed", "grant": second.id.rawValue, "runtimeSeconds": 600, "request": ["gpus": 4]])
            let longID = try #require(long.object["id"] as? String, "\(long.text)")
            let (running, _) = try await api.waitForJob(longID, token: alpha.token, timeout: 60) { $0 == "running" }
            #expect(running == "running")
            let record = try reservoir.reclamations.reclaimGrant(
                second.id, reason: .voluntary, actor: "user:u-\(alpha.tenant)", approvedBy: nil, note: "done early")
            #expect(record?.jobs == [JobID(longID)] && record?.reason == .voluntary, "\(String(describing: record))")
            #expect(try reservoir.store.grant(second.id)?.state == .returned)
            let off = try await world.eventually("Slurm stops \(longID) after its grace") { try await world.engine.status(JobID(longID)) } until: {
                $0.phase.isFinal
            }
            #expect(off.phase != .running, "still running on Slurm after the reclamation: \(off)")
            let removed = try await world.eventually("GrpTRES back to gres/gpu=2 after the reclamation", limit) { $0.contains("gres/gpu=2") }
            #expect(removed.contains("gres/gpu=2"), "the reclaimed grant's limit stayed: \(removed)")
        }
    }

    @Test("a guaranteed P1 job reclaims its capacity from P3 borrowers through Reservoir: the victim is evicted on Slurm after its grace and requeued in Reservoir")
    func preemptionReachesSlurm() async throws {
        let world = try await ReservoirOnSlurm.make()
        try await InProcessServer.with(world.reservoir) { api, _ in
            let beta = try await world.tenant(api, "beta", guaranteed: 0, limit: 16)
            let gamma = try await world.tenant(api, "gamma", guaranteed: 8, limit: 8)
            for member in [beta, gamma] {
                _ = try await world.eventually("account \(member.tenant)") {
                    try await world.slurm("sacctmgr", ["-n", "-P", "list", "association", "where", "account=\(member.tenant)", "format=account"])
                } until: { $0.contains(member.tenant) }
            }

            // Beta borrows both nodes (8 GPUs each) with best-effort work.
            var fillers: [String] = []
            for i in 0..<2 { fillers.append(try await world.submit(api, beta, "filler\(i)", gpus: 8, runtime: 600, priority: "P3")) }
            for id in fillers {
                let (state, _) = try await api.waitForJob(id, token: beta.token, timeout: 60) { $0 == "running" }
                #expect(state == "running")
            }
            // Gamma wants its guarantee back.
            let urgent = try await world.submit(api, gamma, "urgent", gpus: 8, runtime: 3, priority: "P1")
            let (urgentState, urgentSeen) = try await api.waitForJob(urgent, token: gamma.token, timeout: 90) { $0 == "succeeded" || $0 == "failed" }
            let why = try await api.get("/v1/jobs/\(urgent)/explain", token: gamma.token).text
            #expect(urgentState == "succeeded", "urgent went \(urgentSeen): \(why)")

            // Exactly one filler was evicted: an event and an audit entry in Reservoir, requeued there, off Slurm's nodes.
            var victims: [String] = []
            for id in fillers {
                let events = try await api.get("/v1/jobs/\(id)/events", token: beta.token).array.compactMap { $0["kind"] as? String }
                if events.contains("preempted") { victims.append(id) }
            }
            #expect(victims.count == 1, "victims \(victims)")
            if let victim = victims.first {
                let audit = try await api.get("/v1/audit?object=jobs/\(victim)", token: Fixture.operatorToken)
                #expect(audit.array.contains { ($0["action"] as? String ?? "").contains("preempt") }, "\(audit.text)")
                let onSlurm = try await world.engine.status(JobID(victim))
                #expect(onSlurm.phase != .running || onSlurm.startedAt ?? 0 > 0, "the victim was taken off Slurm: \(onSlurm)")
                let job = try await api.get("/v1/jobs/\(victim)", token: beta.token)
                #expect(["queued", "admitted", "running"].contains(job.object["state"] as? String ?? ""), "requeued: \(job.text)")
            }
            for id in fillers { _ = try await api.send(.POST, "/v1/jobs/\(id)/cancel", token: beta.token) }
        }
    }

    @Test("kill -9 of slurmctld right after Reservoir handed it jobs: reconciliation leaves every acknowledged job present exactly once, runs them to success, and no node drained")
    func controllerCrashIsReconciled() async throws {
        let world = try await ReservoirOnSlurm.make()
        try await InProcessServer.with(world.reservoir) { api, _ in
            let delta = try await world.tenant(api, "delta", guaranteed: 16, limit: 16)
            _ = try await world.eventually("account \(delta.tenant)") {
                try await world.slurm("sacctmgr", ["-n", "-P", "list", "association", "where", "account=\(delta.tenant)", "format=grptres"])
            } until: { $0.contains("gres/gpu=16") }
            var jobs: [String] = []
            for i in 0..<4 { jobs.append(try await world.submit(api, delta, "crash\(i)", gpus: 2, runtime: 8)) }
            for id in jobs {
                let (state, _) = try await api.waitForJob(id, token: delta.token, timeout: 30) { $0 != "queued" }
                #expect(state == "admitted" || state == "running")
            }

            let pidFile = "\(world.base)/run/slurmctld.pid"
            let pid = try #require(pid_t(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(kill(pid, SIGKILL) == 0)
            while kill(pid, 0) == 0 { try await Task.sleep(nanoseconds: 50_000_000) }
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("scripts/slurm-dev-cluster.sh").path
            _ = try await SlurmCommand(slurmConf: nil).run(script, ["start"])

            // What the engine service does when Reservoir (re)connects.
            try await world.reservoir.scheduling.reconcile()
            for id in jobs {
                let (final, seen) = try await api.waitForJob(id, token: delta.token, timeout: 120) { $0 == "succeeded" || $0 == "failed" }
                #expect(final == "succeeded", "\(id) went \(seen)")
            }
            let listing = try await world.engine.taggedJobs()
            for id in jobs {
                let copies = listing[JobID(id)] ?? []
                #expect(copies.filter { $0.job_state != "CANCELLED" }.count == 1, "\(id): \(copies.map { "\($0.job_id) \($0.job_state ?? "?")" })")
            }
            let nodes = try await world.engine.inventory().filter { $0.id == "rn3" || $0.id == "rn4" }
            #expect(nodes.allSatisfy { $0.state == .ready }, "\(nodes.map { "\($0.id) \($0.state) \($0.labels)" })")
            let repairs = try await api.get("/v1/audit?limit=1000", token: Fixture.operatorToken).array
                .filter { ($0["action"] as? String ?? "").hasPrefix("engine.") }
            print("Reservoir-on-Slurm crash test: repairs audited:", repairs.compactMap { $0["action"] as? String })
            #expect(repairs.allSatisfy { $0["actor"] as? String == "system:reconciler" })
        }
    }
}

/// One Reservoir over an in-memory store whose single pool is Slurm nodes rn3 and rn4.
struct ReservoirOnSlurm {
    static var shouldRun: Bool {
        let ci = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false
        return ci || FileManager.default.fileExists(atPath: SlurmConfiguration.devClusterEnvironmentFile)
    }

    let reservoir: Reservoir
    let engine: SlurmEngine
    let pool: PoolID
    let suffix: String
    let base: String

    struct Member {
        var tenant: String
        var token: String
    }

    static func make() async throws -> ReservoirOnSlurm {
        var configuration = try SlurmConfiguration(environmentFile: SlurmConfiguration.devClusterEnvironmentFile)
        let store = try SQLiteStore(path: nil)
        configuration.pollInterval = .milliseconds(250)
        configuration.instance = try store.instanceID()
        let engine = SlurmEngine(configuration: configuration)
        let suffix = String(UUID().uuidString.prefix(6).lowercased())
        let pool = PoolID("rsv\(suffix)")
        var nodes = try await engine.inventory().filter { $0.id == "rn3" || $0.id == "rn4" }
        try #require(nodes.count == 2, "the dev cluster has rn3 and rn4")
        for i in nodes.indices { nodes[i].pool = pool }
        try store.upsertInventory(
            Inventory(
                regions: [Region(id: "slurm-region")], clusters: [Cluster(id: "slurm", region: "slurm-region", engine: .slurm)],
                pools: [Pool(id: pool, cluster: "slurm", sharing: .exclusive)], nodes: nodes),
            by: Attribution(actor: "test", at: Date().timeIntervalSince1970))
        let simulator = SimulatedEngine(nodes: [], clock: { Date().timeIntervalSince1970 })
        let registry = EngineRegistry(engines: ["slurm": engine], fallback: simulator) { _ in "slurm" }
        let reservoir = Reservoir(
            store: store, engine: registry, configuration: .init(cycleInterval: 0.2, preemptionGraceSeconds: 2),
            logger: InProcessServer.quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        let base = (SlurmConfiguration.devClusterEnvironmentFile as NSString).deletingLastPathComponent
        return ReservoirOnSlurm(reservoir: reservoir, engine: engine, pool: pool, suffix: suffix, base: base)
    }

    /// Creates a tenant (suffixed, so each run has fresh Slurm accounts) with a quota on the pool, a member and a token.
    func tenant(_ api: API, _ name: String, guaranteed: Double, limit: Double) async throws -> Member {
        let op = Fixture.operatorToken
        let tenant = "\(name)\(suffix)"
        let user = "u-\(tenant)"
        #expect(try await api.post("/v1/tenants", token: op, json: ["id": tenant, "name": name]).status == 201)
        #expect(try await api.post("/v1/users", token: op, json: ["id": user, "tenant": tenant, "roles": ["member"]]).status == 201)
        let token = try #require(try await api.post("/v1/tokens", token: op, json: ["user": user]).object["token"] as? String)
        let quota = try await api.put("/v1/quotas", token: op, json: ["tenant": tenant, "pool": pool.rawValue, "guaranteed": guaranteed, "limit": limit])
        #expect(quota.status == 200, "\(quota.text)")
        return Member(tenant: tenant, token: token)
    }

    func submit(_ api: API, _ member: Member, _ name: String, gpus: Int, runtime: Double, priority: String? = nil) async throws -> String {
        let reply = try await api.post(
            "/v1/jobs", token: member.token,
            json: Fixture.job(name, pool: pool.rawValue, gpus: gpus, runtime: runtime, priority: priority))
        #expect(reply.status == 201, "\(reply.text)")
        return try #require(reply.object["id"] as? String)
    }

    func slurm(_ tool: String, _ arguments: [String]) async throws -> String {
        try await SlurmCommand(slurmConf: engine.configuration.slurmConf).run(tool, arguments).stdout
    }

    /// Re-reads `value` until `done` holds or 60 s pass; returns the last value read.
    func eventually<T>(_ what: String, _ value: () async throws -> T, until done: (T) -> Bool) async throws -> T {
        let deadline = Date().addingTimeInterval(60)
        var last = try await value()
        while !done(last), Date() < deadline {
            try await Task.sleep(nanoseconds: 250_000_000)
            last = try await value()
        }
        return last
    }
}
