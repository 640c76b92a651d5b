import Foundation
import ReservoirCore
import ReservoirTestSupport
import Testing

@testable import ReservoirStore

/// Usage sessions as segments of allocations: opened in the transaction that allocates devices, closed in
/// the one that frees them, closed and reopened by a resize; quantities of whole GPUs, shares, MIG
/// instances and jobs across two models; and nothing lost or doubled when the store is reopened.
@Suite("Usage segments")
struct UsageSegmentTests {
    /// Pool p: n0, n1 with two T4 each (from `smallInventory`); pool q: m0 with two A100 and one V100.
    static func inventory() -> Inventory {
        var inventory = smallInventory()
        inventory.pools.append(Pool(id: "q", cluster: "c"))
        let m0 = NodeID("m0")
        inventory.nodes.append(Node(id: m0, pool: "q", cpuMilli: 8000, memoryMiB: 32768, devices: [
            Device(node: m0, index: 0, model: "A100-80GB", memoryMiB: 81920), Device(node: m0, index: 1, model: "A100-80GB", memoryMiB: 81920),
            Device(node: m0, index: 2, model: "V100M32", memoryMiB: 32768),
        ]))
        return inventory
    }

    static func store(path: String? = nil) throws -> SQLiteStore {
        let store = try SQLiteStore(path: path)
        try store.upsertInventory(inventory(), by: operatorWho)
        try store.createTenant(Tenant(id: "a"), by: operatorWho)
        return store
    }

    static func admit(_ store: SQLiteStore, _ job: Job, _ placements: [ReplicaPlacement], at: Double = 1000) throws -> Job {
        let stored = try store.insertJob(job, by: operatorWho)
        _ = try store.applyCycle(decisions: [(stored.id, placements, "test")], waiting: [:], by: Attribution(actor: "system:scheduler", at: at))
        return stored
    }

    static func job(gpus: Int = 1, milli: Int = 1000, mig: String? = nil, pool: PoolID = "p", project: String? = nil, preemptible: Bool = false) -> Job {
        var job = Job(
            id: "x", name: "j", tenant: "a", submittedBy: "u", pool: pool, request: ResourceRequest(gpus: gpus, gpuMilli: milli, migProfile: mig),
            priority: .p1, preemptible: preemptible)
        job.project = project
        return job
    }

    @Test("a session opens at admission (open: counted up to now) and closes when the job ends, at the engine's end time")
    func opensAtAdmissionClosesAtEnd() throws {
        let store = try Self.store()
        let job = try Self.admit(store, Self.job(gpus: 2, project: "search"), [placement("n0", [0, 1])], at: 1000)
        let open = try store.usageSessions(tenant: "a", since: 0, until: 10_000)
        #expect(open.count == 1 && open[0].isOpen && open[0].startedAt == 1000 && open[0].gpuMilli == 2000 && open[0].devices == 2)
        #expect(open[0].project == "search" && open[0].priority == .p1 && !open[0].preemptible && open[0].pool == "p" && open[0].model == "T4")
        #expect(try store.usageTotals(tenant: "a", since: 0, until: 10_000, now: 1300).map(\.gpuSeconds) == [600], "2 GPUs × 300 s so far")
        #expect(try store.usageTotals(tenant: "a", since: 0, until: 10_000, openOnly: true, now: 1300).map(\.project) == ["search"])

        try store.transitionJob(job.id, to: .running, by: Attribution(actor: "system:engine", at: 1010), message: "started") { $0.startedAt = 1010 }
        #expect(try store.usageSessions(tenant: "a", since: 0, until: 10_000).count == 1, "starting changes nothing: the devices were held from admission")
        try store.transitionJob(job.id, to: .succeeded, by: Attribution(actor: "system:engine", at: 2000), message: "done") { $0.finishedAt = 1600 }
        let closed = try store.usageSessions(tenant: "a", since: 0, until: 10_000)
        #expect(closed.count == 1 && closed[0].endedAt == 1600 && closed[0].closedBy == .ended)
        #expect(closed[0].gpuSeconds(from: 0, to: 10_000, now: 99_999) == 1200)
        #expect(try store.usageSessions(tenant: "a", since: 0, until: 10_000, openOnly: true, page: PageRequest()).items.isEmpty)
    }

    @Test("a preemption closes the segment as preempted; the next admission opens a new one")
    func preemptionThenReadmission() throws {
        let store = try Self.store()
        let job = try Self.admit(store, Self.job(preemptible: true), [placement("n0", [0])], at: 1000)
        try store.transitionJob(job.id, to: .running, by: Attribution(actor: "system:engine", at: 1000), message: "started") { $0.startedAt = 1000 }
        try store.transitionJob(job.id, to: .preempted, by: Attribution(actor: "system:scheduler", at: 1500), message: "preempted") { $0.startedAt = nil }
        _ = try store.applyCycle(decisions: [(job.id, [placement("n1", [1])], "again")], waiting: [:], by: Attribution(actor: "system:scheduler", at: 1700))
        let sessions = try store.usageSessions(tenant: "a", since: 0, until: 10_000)
        #expect(sessions.map(\.closedBy) == [.preempted, nil])
        #expect(sessions.map(\.startedAt) == [1000, 1700] && sessions[0].endedAt == 1500 && sessions.allSatisfy(\.preemptible))
    }

    @Test("a resize closes the segment and opens one at the new size at the same instant")
    func resize() throws {
        let store = try Self.store()
        var job = Self.job()
        job.replicas = 1
        job.maxReplicas = 3
        let stored = try Self.admit(store, job, [placement("n0", [0])], at: 1000)
        try store.transitionJob(stored.id, to: .running, by: Attribution(actor: "system:engine", at: 1000), message: "started") { $0.startedAt = 1000 }
        let grown = [placement("n0", [0]), ReplicaPlacement(replica: 1, node: "n0", deviceIndices: [1], gpuMilli: 1000, cpuMilli: 1000, memoryMiB: 1024),
                     ReplicaPlacement(replica: 2, node: "n1", deviceIndices: [0], gpuMilli: 1000, cpuMilli: 1000, memoryMiB: 1024)]
        try store.resizeJob(stored.id, replicas: 3, placements: grown, reason: "idle capacity", by: Attribution(actor: "system:scheduler", at: 1600))
        let sessions = try store.usageSessions(tenant: "a", since: 0, until: 10_000)
        #expect(sessions.map(\.gpuMilli) == [1000, 3000] && sessions.map(\.devices) == [1, 3])
        #expect(sessions[0].endedAt == 1600 && sessions[0].closedBy == .resized && sessions[1].startedAt == 1600 && sessions[1].isOpen)
        #expect(try store.usageTotals(tenant: "a", since: 0, until: 10_000, now: 1700).map(\.gpuSeconds) == [600 + 300])
    }

    @Test("a share meters its milli-GPU; a MIG instance its slices' share and profile; a job on two models one session per model")
    func sharesMIGAndTwoModels() throws {
        let store = try Self.store()
        _ = try Self.admit(store, Self.job(milli: 250), [placement("n0", [0], milli: 250)])
        var mig = placement("m0", [0], milli: 428)
        mig.migStartSlice = 0
        _ = try Self.admit(store, Self.job(milli: 428, mig: "3g.40gb", pool: "q"), [mig])
        let twoModels = [placement("m0", [1]), ReplicaPlacement(replica: 1, node: "m0", deviceIndices: [2], gpuMilli: 1000, cpuMilli: 1000, memoryMiB: 1024)]
        var pair = Self.job(pool: "q")
        pair.replicas = 2
        _ = try Self.admit(store, pair, twoModels)
        let sessions = try store.usageSessions(tenant: "a", since: 0, until: 10_000)
        #expect(sessions.map(\.gpuMilli) == [250, 428, 1000, 1000])
        #expect(sessions.map(\.model) == ["T4", "A100-80GB", "A100-80GB", "V100M32"])
        #expect(sessions[1].migProfile == "3g.40gb" && sessions[0].migProfile == nil)
        #expect(Set(sessions[2...].map(\.job)).count == 1, "one job, two sessions")
    }

    @Test("a CPU-only job opens no session")
    func cpuOnly() throws {
        let store = try Self.store()
        _ = try Self.admit(store, Job(id: "x", name: "cpu", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 0)),
                           [ReplicaPlacement(replica: 0, node: "n0", deviceIndices: [], gpuMilli: 0, cpuMilli: 1000, memoryMiB: 1024)])
        #expect(try store.usageSessions(tenant: "a", since: 0, until: 10_000).isEmpty)
    }

    @Test("a job without a project is charged to its grant's request's project")
    func projectFromTheGrant() throws {
        let store = try Self.store()
        let grant = try GrantSeed.grant(in: store, tenant: "a", applicant: "u", pool: "p", model: nil, gpus: 2, project: "ranking", startsAt: 0, endsAt: nil)
        var job = Self.job()
        job.grant = grant.id
        _ = try Self.admit(store, job, [placement("n0", [0])])
        var named = Self.job(project: "own")
        named.grant = grant.id
        _ = try Self.admit(store, named, [placement("n0", [1])])
        #expect(try store.usageSessions(tenant: "a", since: 0, until: 10_000).map(\.project) == ["ranking", "own"])
        #expect(try store.usageSessions(tenant: "a", since: 0, until: 10_000).allSatisfy { $0.grant == grant.id })
    }

    @Test("the reconciler's endings from the engine's records close as reconciled at the engine's time")
    func reconciledClose() throws {
        let store = try Self.store()
        let job = try Self.admit(store, Self.job(), [placement("n0", [0])], at: 1000)
        try store.transitionJob(job.id, to: .running, by: Attribution(actor: "system:engine", at: 1000), message: "started") { $0.startedAt = 1000 }
        try store.transitionJob(job.id, to: .succeeded, by: Attribution(actor: Attribution.reconciler, at: 5000), message: "done") { $0.finishedAt = 1800 }
        let session = try #require(try store.usageSessions(tenant: "a", since: 0, until: 10_000).first)
        #expect(session.closedBy == .reconciled && session.endedAt == 1800)
    }

    @Test("a restart in the middle of a session: the reopened store still has it open once; its end closes it once")
    func restartMidSession() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reservoir-usage-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let id: JobID
        do {
            let store = try Self.store(path: path)
            id = try Self.admit(store, Self.job(gpus: 2), [placement("n0", [0, 1])], at: 1000).id
            try store.transitionJob(id, to: .running, by: Attribution(actor: "system:engine", at: 1000), message: "started") { $0.startedAt = 1000 }
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.openUsageSessions().map(\.job) == [id])
        #expect(try reopened.usageTotals(tenant: "a", since: 0, until: 10_000, now: 1500).map(\.gpuSeconds) == [1000])
        try reopened.transitionJob(id, to: .failed, by: Attribution(actor: Attribution.reconciler, at: 3000), message: "lost") { $0.finishedAt = 2000 }
        // A repeated ending (an engine event after the reconciler's) finds no open session and changes nothing.
        _ = try reopened.transitionJob(id, from: [.running], to: .succeeded, by: Attribution(actor: "system:engine", at: 3100), message: "late")
        let sessions = try reopened.usageSessions(tenant: "a", since: 0, until: 10_000)
        #expect(sessions.count == 1 && sessions[0].endedAt == 2000 && sessions[0].closedBy == .reconciled)
        #expect(sessions[0].gpuSeconds(from: 0, to: 10_000, now: 99_999) == 2000)
    }
}
