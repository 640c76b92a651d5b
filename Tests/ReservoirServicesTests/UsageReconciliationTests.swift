import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// An engine that keeps its own accounting (as Slurm's `sacct`) with the runs a test gives it, and runs nothing.
final class AccountingEngine: ExecutionEngine, EngineProvisioning, @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [EngineUsageRecord] = []
    let kind = EngineKind.slurm

    func account(_ records: [EngineUsageRecord]) { lock.withLock { runs = records } }
    func usage(since: Double) async throws -> [EngineUsageRecord] { lock.withLock { runs.filter { ($0.finishedAt ?? .infinity) > since } } }
    func setQuota(_ quota: Quota) async throws {}
    func ensureTenant(_ tenant: Tenant) async throws {}
    func ensurePriorityClasses() async throws {}
    func ensurePool(_ pool: Pool, nodes: [NodeID]) async throws {}
    func inventory() async throws -> [Node] { [] }
    func submit(_ spec: EngineJobSpec) async throws -> String { spec.job.rawValue }
    func cancel(_ job: JobID) async throws {}
    func preempt(_ job: JobID, graceSeconds: Double) async throws {}
    func status(_ job: JobID) async throws -> EngineJobReport { EngineJobReport(job: job, engineID: job.rawValue, phase: .pending) }
    func jobs() async throws -> [EngineJobReport] { [] }
    func events() -> AsyncStream<EngineEvent> { AsyncStream { $0.finish() } }
}

@Suite("Usage reconciliation against the engine's accounting")
struct UsageReconciliationTests {
    static let op = World.operatorPrincipal

    /// A reservoir on the accounting engine, with World's inventory and tenants.
    static func reservoir(_ engine: AccountingEngine, clock: ManualClock) throws -> (Reservoir, SQLiteStore) {
        let store = try SQLiteStore(path: nil)
        let reservoir = Reservoir(store: store, engine: engine, logger: World.logger, clock: clock.function)
        _ = try reservoir.inventory.importDescription(yaml: World.inventory, by: op)
        _ = try reservoir.tenancy.createTenant(Tenant(id: "alpha"), by: op)
        return (reservoir, store)
    }

    /// Stores a 1-GPU job of alpha metered from `start` to `end` (nil: still open).
    static func metered(_ store: SQLiteStore, from start: Double, to end: Double?) throws -> JobID {
        let job = try store.insertJob(Job(id: "x", name: "j", tenant: "alpha", submittedBy: "alice", pool: "p1", request: ResourceRequest(gpus: 1)), by: Attribution(actor: "t", at: start))
        let node = try #require(try store.inventory().nodes.first).id
        let placement = ReplicaPlacement(replica: 0, node: node, deviceIndices: [0], gpuMilli: 1000, cpuMilli: 1000, memoryMiB: 1024)
        _ = try store.applyCycle(decisions: [(job.id, [placement], "test")], waiting: [:], by: Attribution(actor: "system:scheduler", at: start))
        try store.transitionJob(job.id, to: .running, by: Attribution(actor: "system:engine", at: start), message: "started") { $0.startedAt = start }
        if let end { try store.transitionJob(job.id, to: .succeeded, by: Attribution(actor: "system:engine", at: end), message: "done") { $0.finishedAt = end } }
        return job.id
    }

    static func run(_ job: JobID, _ id: String, gpus: Int = 1, from start: Double, to end: Double?) -> EngineUsageRecord {
        EngineUsageRecord(job: job, engineID: id, tenant: "alpha", pool: "p1", gpus: gpus, startedAt: start, finishedAt: end,
                          gpuSeconds: Double(gpus) * ((end ?? start) - start), state: end == nil ? "RUNNING" : "COMPLETED")
    }

    @Test("agreeing jobs are not reported; missing on either side and GPU-seconds beyond the tolerance are")
    func differences() async throws {
        let clock = ManualClock(100_000)
        let engine = AccountingEngine()
        let (reservoir, store) = try Self.reservoir(engine, clock: clock)
        let agree = try Self.metered(store, from: 10_000, to: 13_600)       // 3600 GPU-s; the engine's run started 5 s after admission
        let onlyOurs = try Self.metered(store, from: 20_000, to: 21_000)    // the engine has no run of it
        let differ = try Self.metered(store, from: 30_000, to: 40_000)      // the engine accounted 2 GPUs
        let requeued = try Self.metered(store, from: 50_000, to: 53_000)    // two runs on the engine that add up
        let stranger = JobID("job-999999")                                  // a run Reservoir never metered
        engine.account([
            Self.run(agree, "101", from: 10_005, to: 13_600), Self.run(differ, "103", gpus: 2, from: 30_000, to: 40_000),
            Self.run(requeued, "104", from: 50_000, to: 51_000), Self.run(requeued, "105", from: 51_000, to: 53_000),
            Self.run(stranger, "106", from: 60_000, to: 61_000),
        ])
        let report = try await reservoir.metering.reconcileUsage(since: 0, until: nil, by: Self.op)
        #expect(report.clusters == ["-"] && report.jobs == 5 && report.note == nil)
        #expect(report.differences.map(\.job) == [onlyOurs, differ, stranger])
        #expect(report.differences.map(\.kind) == [.missingInEngine, .gpuSecondsDiffer, .missingInReservoir])
        #expect(report.differences[1].reservoirGPUSeconds == 10_000 && report.differences[1].engineGPUSeconds == 20_000)
        #expect(report.differences[2].engineIDs == ["106"] && report.differences[2].tenant == "alpha")

        // The period clips both sides: only the first 600 s of `agree` lie in it, on both.
        let clipped = try await reservoir.metering.reconcileUsage(since: 0, until: 10_600, by: Self.op)
        #expect(clipped.jobs == 1 && clipped.differences.isEmpty)
    }

    @Test("an open session is compared up to now with a run still going")
    func openSessions() async throws {
        let clock = ManualClock(100_000)
        let engine = AccountingEngine()
        let (reservoir, store) = try Self.reservoir(engine, clock: clock)
        let running = try Self.metered(store, from: 90_000, to: nil)
        engine.account([Self.run(running, "201", from: 90_002, to: nil)])
        #expect(try await reservoir.metering.reconcileUsage(since: 0, until: nil, by: Self.op).differences.isEmpty)
        engine.account([])
        let missing = try await reservoir.metering.reconcileUsage(since: 0, until: nil, by: Self.op)
        #expect(missing.differences.map(\.kind) == [.missingInEngine] && missing.differences[0].reservoirGPUSeconds == 10_000)
    }

    @Test("an engine without accounting gives an empty report that says so; members may not read it; a reversed period is a 400")
    func withoutAccounting() async throws {
        let w = try World()
        let report = try await w.reservoir.metering.reconcileUsage(since: 0, until: nil, by: Self.op)
        #expect(report.clusters.isEmpty && report.differences.isEmpty && report.note?.contains("Slurm") == true)
        await #expect(throws: ReservoirError.self) { try await w.reservoir.metering.reconcileUsage(since: 0, until: nil, by: w.member) }
        let reversed = await #expect(throws: ReservoirError.self) { try await w.reservoir.metering.reconcileUsage(since: 10, until: 5, by: Self.op) }
        #expect(reversed?.field == "since")
    }
}

@Suite("Usage sessions through the scheduler, the engine and a restart")
struct UsageRecoveryTests {
    @Test("admission opens a session, the engine's end closes it; a job the engine lost in a restart closes as reconciled and reopens when readmitted")
    func lifecycle() async throws {
        let w = try World()
        let pump = await EventPump(w)
        let short = try w.submit("short", gpus: 2, runtime: 60)
        let long = try w.submit("long", gpus: 1, runtime: 10_000)
        _ = try await w.reservoir.scheduling.runSchedulingCycle()
        let admittedAt = w.clock.now
        #expect(try w.store.openUsageSessions().map(\.job) == [short.id, long.id])
        w.clock.advance(30)
        await w.engine.poll()
        w.clock.advance(40)
        await w.engine.poll()
        try await Task.sleep(for: .milliseconds(200))
        #expect(try w.job(short.id).state == .succeeded)
        let ended = try #require(try w.store.usageSessions(tenant: "alpha", since: 0, until: w.clock.now + 1).first { $0.job == short.id })
        let finished = try w.job(short.id).finishedAt
        #expect(ended.closedBy == .ended && ended.startedAt == admittedAt && ended.endedAt == finished)
        #expect(try StoreInvariants.violations(w.store).isEmpty)

        pump.task.cancel()
        await pump.task.value
        let after = try w.restarted()
        try await after.reservoir.scheduling.reconcile()
        let lost = try #require(try after.store.usageSessions(tenant: "alpha", since: 0, until: w.clock.now + 1).first { $0.job == long.id })
        #expect(lost.closedBy == .reconciled && lost.endedAt == w.clock.now)
        #expect(try StoreInvariants.violations(after.store).isEmpty)
        _ = try await after.reservoir.scheduling.runSchedulingCycle()
        #expect(try after.store.openUsageSessions().map(\.job) == [long.id], "readmitted: a new segment")
        #expect(try after.store.usageSessions(tenant: "alpha", since: 0, until: w.clock.now + 1).filter { $0.job == long.id }.count == 2)
        #expect(try StoreInvariants.violations(after.store).isEmpty)
    }
}
