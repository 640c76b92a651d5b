import Foundation
import ReservoirCore
import ReservoirStore
import Testing

/// A small inventory: one pool with two 2-GPU nodes.
func smallInventory() -> Inventory {
    let nodes = (0..<2).map { i -> Node in
        let id = NodeID("n\(i)")
        return Node(id: id, pool: "p", cpuMilli: 8000, memoryMiB: 32768, devices: (0..<2).map { Device(node: id, index: $0, model: "T4", memoryMiB: 15360) })
    }
    return Inventory(regions: [Region(id: "r")], clusters: [Cluster(id: "c", region: "r")], pools: [Pool(id: "p", cluster: "c")], nodes: nodes)
}

let operatorWho = Attribution(actor: "user:admin", at: 1000)

func seededStore() throws -> SQLiteStore {
    let store = try SQLiteStore(path: nil)
    try store.upsertInventory(smallInventory(), by: operatorWho)
    try store.createTenant(Tenant(id: "a"), by: operatorWho)
    return store
}

func placement(_ node: String, _ devices: [Int], milli: Int = 1000) -> ReplicaPlacement {
    ReplicaPlacement(replica: 0, node: NodeID(node), deviceIndices: devices, gpuMilli: milli, cpuMilli: 1000, memoryMiB: 1024)
}

@Suite("SQLite store")
struct StoreTests {
    @Test func jobsGetSequentialIDsAndAuditEntries() throws {
        let store = try seededStore()
        let job = Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1))
        let first = try store.insertJob(job, by: operatorWho)
        let second = try store.insertJob(job, by: operatorWho)
        #expect(first.id == "job-000001" && second.id == "job-000002")
        let audit = try store.auditEntries(object: "jobs/job-000001", tenant: nil, limit: 10)
        #expect(audit.count == 1 && audit[0].action == "job.submit" && audit[0].actor == "user:admin" && audit[0].before == nil)
    }

    @Test("a change is audited as the fields it changed, not the whole job twice")
    func auditKeepsOnlyChangedFields() throws {
        let store = try seededStore()
        let job = try store.insertJob(Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1)), by: operatorWho)
        _ = try store.updateJob(job.id, action: "priority", by: operatorWho) { $0.priority = .p1 }
        let entry = try #require(try store.auditEntries(object: "jobs/\(job.id)", tenant: nil, limit: 1).first)
        #expect(entry.action == "job.priority")
        #expect(entry.before == #"{"priority":"P2"}"#)
        #expect(entry.after == #"{"priority":"P1"}"#)
    }

    @Test("a database keeps its instance id across reopening; another database has its own")
    func instanceIDIsStablePerDatabase() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("instance-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try SQLiteStore(path: path).instanceID()
        #expect(first.count == 8)
        #expect(try SQLiteStore(path: path).instanceID() == first)
        #expect(try SQLiteStore(path: nil).instanceID() != first)
    }

    @Test func theSchemaRefusesDoubleBooking() throws {
        let store = try seededStore()
        let job = Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1, gpuMilli: 600))
        let a = try store.insertJob(job, by: operatorWho)
        let b = try store.insertJob(job, by: operatorWho)
        _ = try store.applyCycle(decisions: [(a.id, [placement("n0", [0], milli: 600)], "test")], waiting: [:], by: operatorWho)
        // 600 + 600 > 1000 on n0/gpu0: the whole transaction is refused, b stays queued.
        #expect(throws: (any Error).self) {
            try store.applyCycle(decisions: [(b.id, [placement("n0", [0], milli: 600)], "test")], waiting: [:], by: operatorWho)
        }
        #expect(try store.job(b.id)?.state == .queued)
        #expect(try store.deviceBookings() == [DeviceID("n0/gpu0"): 600])
    }

    @Test func leavingAHoldingStateFreesDevices() throws {
        let store = try seededStore()
        let job = try store.insertJob(Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 2)), by: operatorWho)
        _ = try store.applyCycle(decisions: [(job.id, [placement("n1", [0, 1])], "test")], waiting: [:], by: operatorWho)
        #expect(try store.deviceBookings().count == 2)
        try store.transitionJob(job.id, to: .running, by: operatorWho, message: "started") { _ in }
        try store.transitionJob(job.id, to: .succeeded, by: operatorWho, message: "done") { _ in }
        #expect(try store.deviceBookings().isEmpty)
        #expect(try store.events(job: job.id).map(\.kind) == ["submitted", "admitted", "running", "succeeded"])
    }

    @Test func waitingReasonsAreStored() throws {
        let store = try seededStore()
        let job = try store.insertJob(Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1)), by: operatorWho)
        let reason = PendingReason(kind: "quota", message: "over limit")
        _ = try store.applyCycle(decisions: [], waiting: [job.id: reason], by: operatorWho)
        #expect(try store.job(job.id)?.reason == reason)
    }

    @Test func quotasNeedExistingTenantAndPool() throws {
        let store = try seededStore()
        #expect(throws: ReservoirError.self) { try store.setQuota(Quota(tenant: "nobody", pool: "p", guaranteedMilli: 0, limitMilli: 0), by: operatorWho) }
        #expect(throws: ReservoirError.self) { try store.setQuota(Quota(tenant: "a", pool: "nowhere", guaranteedMilli: 0, limitMilli: 0), by: operatorWho) }
        try store.setQuota(Quota(tenant: "a", pool: "p", guaranteedMilli: 1000, limitMilli: 2000), by: operatorWho)
        try store.setQuota(Quota(tenant: "a", pool: "p", guaranteedMilli: 2000, limitMilli: 4000), by: operatorWho)
        #expect(try store.quotas(tenant: "a").map(\.limitMilli) == [4000])
        let audit = try store.auditEntries(object: "quotas/a/p/*", tenant: "a", limit: 10)
        #expect(audit.count == 2 && audit[0].before != nil)
    }

    @Test("a tenant's quota history: creation, changes of the guaranteed amount and deletion, from the audit log; a limit-only change is left out")
    func quotaHistoryIsReadFromTheAuditLog() throws {
        let store = try seededStore()
        let at = { (t: Double) in Attribution(actor: "user:admin", at: t) }
        try store.setQuota(Quota(tenant: "a", pool: "p", guaranteedMilli: 1000, limitMilli: 2000), by: at(2000))
        try store.setQuota(Quota(tenant: "a", pool: "p", guaranteedMilli: 1000, limitMilli: 3000), by: at(3000))
        try store.setQuota(Quota(tenant: "a", pool: "p", model: "A100-80GB", guaranteedMilli: 500, limitMilli: 500), by: at(3500))
        try store.setQuota(Quota(tenant: "a", pool: "p", guaranteedMilli: 2000, limitMilli: 3000), by: at(4000))
        try store.deleteQuota(tenant: "a", pool: "p", model: Quota.anyModel, by: at(5000))
        let history = try store.quotaHistory(tenant: "a")
        #expect(history.tenantCreatedAt == 1000)
        #expect(history.changes.map { "\($0.at) \($0.pool)/\($0.model) \($0.guaranteedBefore.map(String.init) ?? "-")→\($0.guaranteedAfter.map(String.init) ?? "-")" } == [
            "2000.0 p/* -→1000", "3500.0 p/A100-80GB -→500", "4000.0 p/* 1000→2000", "5000.0 p/* 2000→-",
        ])
        #expect(try store.quotaHistory(tenant: "nobody") == QuotaHistory(tenantCreatedAt: nil, changes: []))
    }

    @Test func tokensAreStoredHashedAndRevocable() throws {
        let store = try seededStore()
        try store.createUser(User(id: "u1", tenant: "a", roles: [.member]), by: operatorWho)
        try store.createToken(id: "t1", user: "u1", hash: "abc", expiresAt: nil, by: operatorWho)
        #expect(try store.credential(forTokenHash: "abc")?.user.id == "u1")
        try store.revokeToken("t1", by: operatorWho)
        #expect(try store.credential(forTokenHash: "abc")?.token.revoked == true)
    }

    @Test func stateSurvivesReopening() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reservoir-store-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let store = try SQLiteStore(path: path)
            try store.upsertInventory(smallInventory(), by: operatorWho)
            try store.createTenant(Tenant(id: "a"), by: operatorWho)
            _ = try store.insertJob(Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1)), by: operatorWho)
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.inventory().nodes.count == 2)
        #expect(try reopened.jobs(tenant: nil, states: nil, limit: 10).count == 1)
    }
}

@Suite("Metering")
struct MeteringTests {
    @Test func aRunThatEndsRecordsItsGPUSeconds() throws {
        let store = try seededStore()
        let job = try store.insertJob(Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 2)), by: operatorWho)
        _ = try store.applyCycle(decisions: [(job.id, [placement("n0", [0, 1])], "test")], waiting: [:], by: operatorWho)
        try store.transitionJob(job.id, to: .running, by: operatorWho, message: "started") { $0.startedAt = 1000 }
        try store.transitionJob(job.id, to: .succeeded, by: Attribution(actor: "engine", at: 2000), message: "done") { $0.finishedAt = 1600 }
        let sessions = try store.usageSessions(tenant: "a", since: 0, until: 10_000)
        #expect(sessions.count == 1)
        #expect(sessions[0].gpuSeconds(from: 0, to: 10_000, now: 10_000) == 1200 && sessions[0].model == "T4")
        #expect(try store.usageSessions(tenant: "other", since: 0, until: 10_000).isEmpty)
        let totals = try store.usageTotals(tenant: "a", since: 0, until: 10_000, now: 10_000)
        #expect(totals.map(\.tenant) == ["a"] && totals.map(\.model) == ["T4"] && totals.map(\.gpuSeconds) == [1200])
        #expect(try store.usageTotals(tenant: nil, since: 2001, until: 10_000, now: 10_000).isEmpty)
    }

    @Test("usage sessions page oldest first; totals sum every session of the period")
    func usagePages() throws {
        let store = try seededStore()
        for i in 0..<5 {
            let job = try store.insertJob(Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1)), by: operatorWho)
            _ = try store.applyCycle(decisions: [(job.id, [placement("n0", [0])], "test")], waiting: [:], by: operatorWho)
            try store.transitionJob(job.id, to: .running, by: operatorWho, message: "started") { $0.startedAt = 1000 }
            try store.transitionJob(job.id, to: .succeeded, by: Attribution(actor: "engine", at: 2000), message: "done") { $0.finishedAt = 1000 + 60 * Double(i + 1) }
        }
        let all = try store.usageSessions(tenant: nil, since: 0, until: 10_000)
        #expect(all.count == 5)
        #expect(try walk(limit: 2) { try store.usageSessions(tenant: "a", since: 0, until: 10_000, page: $0) } == all)
        #expect(try store.usageTotals(tenant: nil, since: 0, until: 10_000, now: 10_000).map(\.gpuSeconds) == [all.map { $0.gpuSeconds(from: 0, to: 10_000, now: 10_000) }.reduce(0, +)])
    }
}
