import Foundation
import Logging
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import Testing
import ReservoirTestSupport

/// An application over an in-memory store and a simulated engine on a manual clock.
struct World {
    static let operatorPrincipal = Principal(user: User(id: "admin", roles: [.operator_]))
    static let logger = Logger(label: "services-test") { _ in SwiftLogNoOpLogHandler() }
    static let inventory = """
        regions:
          - id: r1
            clusters:
              - id: c1
                pools:
                  - id: p1
                    sharing: exclusive
                    nodes:
                      - {name: n, count: 2, model: A100-80GB, gpus: 4, cpu: 32, memoryGiB: 256}
        """

    let store: SQLiteStore
    let clock: ManualClock
    let engine: SimulatedEngine
    let reservoir: Reservoir
    let member: Principal
    let other: Principal

    init(store: SQLiteStore? = nil, clock: ManualClock = ManualClock(), seeded: Bool = true) throws {
        self.store = try store ?? SQLiteStore(path: nil)
        self.clock = clock
        engine = SimulatedEngine(nodes: [], speed: 1, clock: clock.function)
        var configuration = Reservoir.Configuration()
        configuration.verifySchedulerView = true
        reservoir = Reservoir(store: self.store, engine: engine, configuration: configuration, logger: Self.logger, clock: clock.function)
        member = Principal(user: User(id: "alice", tenant: "alpha", roles: [.member]))
        other = Principal(user: User(id: "bob", tenant: "beta", roles: [.member]))
        guard seeded else { return }
        let op = Self.operatorPrincipal
        _ = try reservoir.inventory.importDescription(yaml: Self.inventory, by: op)
        for (tenant, user) in [("alpha", member.user), ("beta", other.user)] {
            _ = try reservoir.tenancy.createTenant(Tenant(id: TenantID(tenant)), by: op)
            _ = try reservoir.tenancy.createUser(user, by: op)
            _ = try reservoir.tenancy.setQuota(Quota(tenant: TenantID(tenant), pool: "p1", guaranteedMilli: 4000, limitMilli: 8000), by: op)
        }
    }

    /// A reservoir over the same store with a fresh engine, as after a process restart.
    func restarted() throws -> World {
        try World(store: store, clock: clock, seeded: false)
    }

    func submit(_ name: String, gpus: Int = 1, replicas: Int = 1, runtime: Double = 60, priority: PriorityClass? = nil, by who: Principal? = nil, tenant: String? = nil) throws -> Job {
        let json = """
            {"name": "\(name)", "pool": "p1", \(tenant.map { "\"tenant\": \"\($0)\"," } ?? "") "replicas": \(replicas), "runtimeSeconds": \(runtime),
             \(priority.map { "\"priority\": \"\($0.rawValue)\"," } ?? "") "request": {"gpus": \(gpus), "cpuMilli": 1000, "memoryMiB": 1024}}
            """
        let submission = try JSONDecoder().decode(JobSubmission.self, from: Data(json.utf8))
        return try reservoir.jobs.submit(submission, by: who ?? member)
    }

    func job(_ id: JobID) throws -> Job { try #require(try store.job(id)) }
}

/// Collects engine events and applies them to the application, as the engine event service does.
final class EventPump: Sendable {
    let task: Task<Void, Never>
    init(_ world: World) async {
        let events = world.engine.events()
        let reservoir = world.reservoir
        task = Task { for await event in events { reservoir.scheduling.apply(event) } }
    }
    deinit { task.cancel() }
}

/// Polls `condition` (bounded) while ticking the engine.
func eventually(_ world: World, timeout: Double = 5, _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        await world.engine.poll()
        if try condition() { return true }
        try await Task.sleep(nanoseconds: 5_000_000)
    }
    return try condition()
}

@Suite("Reservoir services over an in-memory store")
struct ReservoirServiceTests {
    @Test("submit → cycle → engine events → succeeded, with devices freed and the decision recorded")
    func submitRunSucceed() async throws {
        let w = try World()
        let pump = await EventPump(w)
        let job = try w.submit("train", gpus: 2, runtime: 60)
        #expect(job.state == .queued)
        #expect(job.tenant == "alpha")

        let result = try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(result.decisions.map(\.job) == [job.id])
        #expect(try await eventually(w) { try w.job(job.id).state == .running })
        let running = try w.job(job.id)
        #expect(running.placements.count == 1 && running.placements[0].deviceIndices.count == 2)
        #expect(try w.store.deviceBookings().values.reduce(0, +) == 2000)
        #expect(try w.reservoir.jobs.explain(job.id, by: w.member).kind == "placed")
        #expect(try StoreInvariants.violations(w.store).isEmpty)

        w.clock.advance(61)
        #expect(try await eventually(w) { try w.job(job.id).state == .succeeded })
        let done = try w.job(job.id)
        #expect(done.finishedAt != nil)
        #expect(done.progressSeconds >= 60)
        #expect(try w.store.deviceBookings().isEmpty)
        #expect(try w.store.events(job: job.id).map(\.kind) == ["submitted", "admitted", "running", "succeeded"])
        #expect(try w.store.decisions(job: job.id).count == 1)
        withExtendedLifetime(pump) {}
    }

    @Test("cancel commits first, frees the devices and tells the engine")
    func cancelReleasesDevices() async throws {
        let w = try World()
        let pump = await EventPump(w)
        let job = try w.submit("long", gpus: 4, runtime: 3600)
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try await eventually(w) { try w.job(job.id).state == .running })
        #expect(try w.store.deviceBookings().count == 4)

        // Another tenant's member may not cancel it (and learns nothing: not found).
        await #expect(throws: ReservoirError.self) { _ = try await w.reservoir.jobs.cancel(job.id, by: w.other) }
        #expect(try w.job(job.id).state == .running)

        let cancelled = try await w.reservoir.jobs.cancel(job.id, by: w.member)
        #expect(cancelled.state == .cancelled)
        #expect(try w.store.deviceBookings().isEmpty)
        #expect(try await w.engine.status(job.id).phase == .cancelled)
        #expect(try StoreInvariants.violations(w.store).isEmpty)

        // The freed devices go to the next job at once.
        let next = try w.submit("next", gpus: 4)
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try w.job(next.id).state.holdsDevices)
        // Cancelling twice is a conflict, not a second audit entry.
        await #expect(throws: ReservoirError.self) { _ = try await w.reservoir.jobs.cancel(job.id, by: w.member) }
        #expect(try w.store.auditEntries(object: "jobs/\(job.id)", tenant: nil, limit: 100).filter { $0.action == "job.cancelled" }.count == 1)
        withExtendedLifetime(pump) {}
    }

    @Test("reconcile after a restart: the new engine lost the jobs; running ones are requeued with progress kept, admitted ones resubmitted")
    func reconcileAfterRestart() async throws {
        let w = try World()
        let pump = await EventPump(w)
        let running = try w.submit("running", gpus: 2, runtime: 100)
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try await eventually(w) { try w.job(running.id).state == .running })
        w.clock.advance(30)
        await w.engine.poll()

        // Stop listening to the old engine: from here on its reports are lost, as in a crash.
        pump.task.cancel()
        await pump.task.value
        // A job admitted by the store whose start the engine never reported (crash in between).
        let admitted = try w.submit("admitted", gpus: 1, runtime: 50)
        let snapshotDecision = try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(snapshotDecision.decisions.map(\.job) == [admitted.id])
        #expect(try w.job(admitted.id).state == .admitted)

        // "Restart": same store, new engine that knows nothing.
        let after = try w.restarted()
        #expect(try await after.engine.status(running.id).phase == .unknown)
        try await after.reservoir.scheduling.reconcile()

        let requeued = try after.job(running.id)
        #expect(requeued.state == .preempted, "a running job the engine lost is requeued")
        #expect(requeued.progressSeconds >= 29 && requeued.progressSeconds <= 31, "progress kept: \(requeued.progressSeconds)")
        #expect(requeued.startedAt == nil)
        #expect(requeued.placements.isEmpty)
        #expect(try StoreInvariants.violations(after.store).isEmpty)
        let audit = try after.store.auditEntries(object: "jobs/\(running.id)", tenant: nil, limit: 100)
        #expect(audit.contains { $0.action == "job.reconcile" && $0.actor == "system:reconciler" })
        #expect(audit.contains { $0.action == "job.preempted" })

        // The admitted job is back on the new engine.
        let phase = try await after.engine.status(admitted.id).phase
        #expect(phase == .running || phase == .pending, "admitted job resubmitted: \(phase)")

        // The next cycle places the requeued job again, with only the remaining runtime.
        let pump2 = await EventPump(after)
        try await after.reservoir.scheduling.runSchedulingCycle()
        #expect(try await eventually(after) { try after.job(running.id).state == .running })
        after.clock.advance(71)
        #expect(try await eventually(after) { try after.job(running.id).state == .succeeded }, "70 s remained of 100 s")
        #expect(try StoreInvariants.violations(after.store).isEmpty)
        withExtendedLifetime(pump2) {}
    }

    @Test("a member cannot submit P0, nor raise a job to P0; nothing is stored")
    func memberCannotSubmitP0() async throws {
        let w = try World()
        let auditBefore = try w.store.auditEntries(object: nil, tenant: nil, limit: 10_000)
        do {
            _ = try w.submit("emergency", priority: .p0)
            Issue.record("a member submitted a P0 job")
        } catch let error as ReservoirError {
            #expect(error.code == .permissionDenied)
            #expect(error.field == "priority")
        }
        #expect(try w.store.jobs(tenant: nil, states: nil, limit: 100).isEmpty)
        #expect(try w.store.auditEntries(object: nil, tenant: nil, limit: 10_000) == auditBefore)

        let job = try w.submit("normal")
        #expect(throws: ReservoirError.self) { _ = try w.reservoir.jobs.setPriority(job.id, to: .p0, by: w.member) }
        #expect(try w.job(job.id).priority == .p2)

        // The operator and the emergency approver may.
        let p0 = try w.submit("ops-emergency", priority: .p0, by: World.operatorPrincipal, tenant: "alpha")
        #expect(p0.tenant == "alpha")
        #expect(p0.priority == .p0)
    }

    @Test("a priority change is audited with before and after")
    func priorityChangeAudited() async throws {
        let w = try World()
        let job = try w.submit("tune", priority: .p3)
        let changed = try w.reservoir.jobs.setPriority(job.id, to: .p1, by: w.member)
        #expect(changed.priority == .p1)
        #expect(changed.state == .queued)
        let entries = try w.reservoir.audit.auditLog(object: "jobs/\(job.id)", limit: 10, by: w.member)
        let entry = try #require(entries.first { $0.action == "job.priority" })
        #expect(entry.actor == "user:alice")
        #expect(entry.tenant == "alpha")
        #expect(entry.before?.contains("\"priority\":\"P3\"") == true)
        #expect(entry.after?.contains("\"priority\":\"P1\"") == true)
        #expect(try w.store.events(job: job.id).map(\.kind).contains("priority"))
        // Another tenant's member neither changes it nor sees the audit entry.
        #expect(throws: ReservoirError.self) { _ = try w.reservoir.jobs.setPriority(job.id, to: .p2, by: w.other) }
        #expect(try w.reservoir.audit.auditLog(object: "jobs/\(job.id)", limit: 10, by: w.other).isEmpty)
    }
}
