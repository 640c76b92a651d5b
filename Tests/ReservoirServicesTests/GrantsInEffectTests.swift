import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// An engine that records what provisioning writes (as Slurm would apply it) and runs nothing.
final class ProvisioningRecorder: ExecutionEngine, EngineProvisioning, @unchecked Sendable {
    private let lock = NSLock()
    private var written: [String: Quota] = [:]
    let kind = EngineKind.slurm

    /// The last quota written per tenant, pool and model.
    var quotas: [Quota] { lock.withLock { written.values.sorted { ($0.tenant, $0.pool, $0.model) < ($1.tenant, $1.pool, $1.model) } } }

    func setQuota(_ quota: Quota) async throws { lock.withLock { written["\(quota.tenant)|\(quota.pool)|\(quota.model)"] = quota } }
    func ensureTenant(_ tenant: Tenant) async throws {}
    func ensurePriorityClasses() async throws {}
    func ensurePool(_ pool: Pool, nodes: [NodeID]) async throws {}
    func usage(since: Double) async throws -> [EngineUsageRecord] { [] }
    func inventory() async throws -> [Node] { [] }
    func submit(_ spec: EngineJobSpec) async throws -> String { spec.job.rawValue }
    func cancel(_ job: JobID) async throws {}
    func preempt(_ job: JobID, graceSeconds: Double) async throws {}
    func status(_ job: JobID) async throws -> EngineJobReport { EngineJobReport(job: job, engineID: job.rawValue, phase: .pending) }
    func jobs() async throws -> [EngineJobReport] { [] }
    func events() -> AsyncStream<EngineEvent> { AsyncStream { $0.finish() } }
}

@Suite("Grants in effect: quotas, jobs under a grant, activation, expiry, the green channel")
struct GrantsInEffectTests {
    /// Alpha's 4-GPU A100 grant in p1 for one hour from now.
    private func granted(_ w: World, gpus: Int = 4, emergency: EmergencyDetails? = nil, hours: Double = 1) throws -> Grant {
        try GrantSeed.grant(
            in: w.store, tenant: "alpha", applicant: "alice", gpus: gpus, emergency: emergency, startsAt: w.clock.now, endsAt: w.clock.now + hours * 3600)
    }

    private func submit(
        _ w: World, _ name: String, under grant: GrantID, gpus: Int = 4, models: String? = nil, priority: String? = nil, by who: Principal? = nil
    ) throws -> Job {
        var request: [String: Any] = ["gpus": gpus]
        request["models"] = models
        var job: [String: Any] = ["name": name, "grant": grant.rawValue, "runtimeSeconds": 600, "request": request]
        job["priority"] = priority
        let json = try JSONSerialization.data(withJSONObject: job)
        return try w.reservoir.jobs.submit(try JSONDecoder().decode(JobSubmission.self, from: json), by: who ?? w.member)
    }

    private func refusal(_ body: () throws -> Job) -> ReservoirError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? ReservoirError
        }
    }

    @Test("a grant raises its tenant's quota in the views for its window only")
    func quotaViewsShowTheGrant() throws {
        let w = try World()
        try granted(w)
        let during = try w.reservoir.tenancy.quotasWithUsage(tenant: "alpha", pool: nil, page: PageRequest(), by: w.member).items
        #expect(during.map { [$0.quota.guaranteedMilli, $0.quota.limitMilli] } == [[8000, 12000]])
        w.clock.advance(3600)
        let after = try w.reservoir.tenancy.quotasWithUsage(tenant: "alpha", pool: nil, page: PageRequest(), by: w.member).items
        #expect(after.map { [$0.quota.guaranteedMilli, $0.quota.limitMilli] } == [[4000, 8000]])
    }

    @Test("provisioning writes the quotas in effect: the grant raises the engine's limit, and the pass after its end lowers it")
    func provisioningAppliesTheGrant() async throws {
        let clock = ManualClock()
        let store = try SQLiteStore(path: nil)
        let recorder = ProvisioningRecorder()
        let registry = EngineRegistry(engines: ["c1": recorder], fallback: SimulatedEngine(nodes: [], clock: clock.function)) { _ in "c1" }
        let reservoir = Reservoir(store: store, engine: registry, logger: World.logger, clock: clock.function)
        let w = try World(store: store, clock: clock)
        try granted(w)
        await reservoir.scheduling.provisionEngines()
        #expect(recorder.quotas.filter { $0.tenant == "alpha" }.map(\.limitMilli) == [12000])
        #expect(recorder.quotas.filter { $0.tenant == "beta" }.map(\.limitMilli) == [8000])
        clock.advance(3600)
        await reservoir.scheduling.provisionEngines()
        #expect(recorder.quotas.filter { $0.tenant == "alpha" }.map(\.limitMilli) == [8000])
    }

    @Test("a job under a grant takes its pool, model and class; other tenants, other classes and more than the grant are refused")
    func submissionChecks() throws {
        let w = try World()
        let grant = try granted(w)
        let job = try submit(w, "under", under: grant.id)
        #expect(job.grant == grant.id && job.pool == "p1" && job.priority == .p1 && job.request.models == ["A100-80GB"] && !job.preemptible)

        let stranger = refusal { try submit(w, "theirs", under: grant.id, by: w.other) }
        #expect(stranger?.code == .notFound && stranger?.field == "grant")
        #expect(refusal { try submit(w, "cheap", under: grant.id, gpus: 1, priority: "P3") }?.field == "priority")
        #expect(refusal { try submit(w, "t4", under: grant.id, gpus: 1, models: "T4") }?.field == "request.models")
        let elsewhere = refusal {
            try w.reservoir.jobs.submit(try JSONDecoder().decode(JobSubmission.self, from: Data(#"{"name": "x", "grant": "\#(grant.id)", "pool": "p2", "request": {"gpus": 1}}"#.utf8)), by: w.member)
        }
        #expect(elsewhere?.field == "pool", "\(String(describing: elsewhere))")
        let more = refusal { try submit(w, "more", under: grant.id, gpus: 1) }
        #expect(more?.code == .conflict && more?.field == "request.gpus", "\(String(describing: more))")

        w.clock.advance(3600)
        let late = refusal { try submit(w, "late", under: grant.id, gpus: 1) }
        #expect(late?.code == .conflict && late?.message.contains("ended at") == true && late?.message.contains("admits no new work") == true)
    }

    @Test("the request becomes active when the grant's first job starts; the expiry pass ends grant and request, running work stays")
    func activationAndExpiry() async throws {
        let w = try World()
        let pump = await EventPump(w)
        let grant = try granted(w)
        let job = try submit(w, "under", under: grant.id)
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try await eventually(w) { try w.job(job.id).state == .running })
        #expect(try await eventually(w) { try w.store.request(grant.request)?.state == .active })
        #expect(try w.store.notifications(for: nil, page: PageRequest()).items.contains { $0.topic == "request.active" })

        #expect(try w.reservoir.grants.expireEnded().isEmpty, "nothing ends inside the window")
        w.clock.advance(3600)
        let expired = try w.reservoir.grants.expireEnded()
        #expect(expired.map(\.id) == [grant.id] && expired[0].state == .expired)
        #expect(try w.store.request(grant.request)?.state == .expired)
        #expect(try w.store.activeGrants().isEmpty)
        #expect(try w.store.notifications(for: nil, page: PageRequest()).items.contains { $0.topic == "request.expired" })
        #expect(try w.job(job.id).state == .running, "running work stays: the lease rules decide about it")
        #expect(try w.reservoir.grants.expireEnded().isEmpty, "a second pass changes nothing")
        let audit = try w.store.auditEntries(object: "grants/\(grant.id)", tenant: nil, limit: 10).map(\.action)
        #expect(audit.contains("grant.expire"), "\(audit)")
        let requestAudit = try w.store.auditEntries(object: "requests/\(grant.request)", tenant: nil, limit: 10).map(\.action)
        #expect(requestAudit.contains("request.activate") && requestAudit.contains("request.expire"), "\(requestAudit)")
        withExtendedLifetime(pump) {}
    }

    @Test("an emergency grant's job runs as P0 for a member, preempts P3 work, and the grant reports what it preempted")
    func greenChannelPreemptsAndReports() async throws {
        let w = try World()
        let pump = await EventPump(w)
        let low = try w.submit("low", gpus: 4, replicas: 2, runtime: 100_000, priority: .p3, by: w.other)
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try await eventually(w) { try w.job(low.id).state == .running })

        let grant = try granted(w, emergency: EmergencyDetails(category: "production-outage", incident: "INC-7"))
        let urgent = try submit(w, "fix", under: grant.id)
        #expect(urgent.priority == .p0, "the green channel runs its jobs as P0, even a member's")
        // Cycles while the clock runs on: the victim gets its grace, then leaves, and the P0 job takes its place.
        for _ in 0..<200 where try w.job(urgent.id).state != .running {
            try await w.reservoir.scheduling.runSchedulingCycle()
            w.clock.advance(5)
            await w.engine.poll()
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        #expect(try w.job(urgent.id).state == .running)
        #expect(try w.job(low.id).state != .running)
        #expect(try w.job(urgent.id).preempted == [low.id])

        let asOperator = try w.reservoir.grants.grants(tenant: nil, state: nil, emergency: true, page: PageRequest(), by: World.operatorPrincipal).items
        #expect(asOperator.map(\.grant.id) == [grant.id])
        #expect(asOperator[0].preempted.map(\.job) == [low.id] && asOperator[0].preempted.map(\.tenant) == ["beta"])
        #expect(asOperator[0].usedGPUMilli == 4000)
        let asMember = try w.reservoir.grants.grant(grant.id, by: w.member)
        #expect(asMember.preempted.map(\.job) == [nil] && asMember.preempted.map(\.priority) == [.p3], "another tenant's job is not named to a member")
        #expect(try w.reservoir.grants.grants(tenant: nil, state: nil, emergency: false, page: PageRequest(), by: World.operatorPrincipal).items.isEmpty)
        #expect(throws: ReservoirError.self) { try w.reservoir.grants.grant(grant.id, by: w.other) }
        withExtendedLifetime(pump) {}
    }
}
