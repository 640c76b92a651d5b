import Foundation
import GRDB
import ReservoirCore
@testable import ReservoirStore
import Testing

/// A small seeded generator (SplitMix64), so a failing sequence of writes can be replayed.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The memoised reads and what a fresh decode of the same tables gives.
private func expectCachesFresh(_ store: SQLiteStore, step: Int, _ op: String) throws {
    let fresh = try store.db.read { db in
        (try SQLiteStore.readInventory(db), try SQLiteStore.readCatalog(db), try SQLiteStore.readTenants(db),
         try SQLiteStore.readQuotas(db), try SQLiteStore.readActiveGrants(db))
    }
    #expect(try store.inventory() == fresh.0, "inventory stale after step \(step): \(op)")
    #expect(try store.catalog() == fresh.1, "catalog stale after step \(step): \(op)")
    #expect(try store.tenants() == fresh.2, "tenants stale after step \(step): \(op)")
    #expect(try store.quotas(tenant: nil) == fresh.3, "quotas stale after step \(step): \(op)")
    #expect(try store.quotas(tenant: "a") == fresh.3.filter { $0.tenant == "a" }, "tenant a's quotas stale after step \(step): \(op)")
    #expect(try store.activeGrants() == fresh.4, "active grants stale after step \(step): \(op)")
}

@Suite("Store caches")
struct StoreCacheTests {
    @Test("a memo decodes once per generation and keeps the newer of two racing generations")
    func memoKeysOnGeneration() throws {
        let memo = GenerationMemo<Int>()
        var decodes = 0
        func read(_ generation: Int64, _ value: Int) throws -> Int { try memo.value(at: generation) { decodes += 1; return value } }
        #expect(try read(1, 10) == 10)
        #expect(try read(1, 11) == 10 && decodes == 1)
        #expect(try read(2, 20) == 20 && decodes == 2)
        #expect(try read(1, 12) == 12 && decodes == 3)  // an older snapshot decodes its own value…
        #expect(try read(2, 21) == 20 && decodes == 3)  // …and does not replace the newer one
    }

    @Test("an unchanged table is not decoded again; a write through any path, even raw SQL, is seen at once")
    func rawWritesInvalidate() throws {
        let store = try seededStore()
        let before = try store.inventory()
        #expect(try store.inventory() == before)
        try store.db.write { try $0.execute(sql: "UPDATE node SET body = json_set(body, '$.cpuMilli', 1234) WHERE id = 'n0'") }
        #expect(try store.inventory().nodes.first { $0.id == "n0" }?.cpuMilli == 1234)
        try store.db.write { try $0.execute(sql: "DELETE FROM tenant WHERE id = 'a'") }
        #expect(try store.tenants().isEmpty)
    }

    @Test("random writes to every cached table, successful or refused: after each, every cache equals a fresh read", arguments: [1, 2, 3] as [UInt64])
    func randomWritesKeepCachesFresh(seed: UInt64) throws {
        var rng = SeededGenerator(state: seed)
        let store = try seededStore()
        var tenants: [TenantID] = ["a"]
        var requests = 0
        var nodes = 2
        let t4 = try #require(GPUCatalog.standard.model(named: "T4"))
        let ops: [(String, () throws -> Void)] = [
            ("import a node", {
                let id = NodeID("n\(nodes)")
                nodes += 1
                let node = Node(id: id, pool: "p", cpuMilli: 8000, memoryMiB: 32768, devices: [Device(node: id, index: 0, model: "T4", memoryMiB: 15360)])
                var inventory = smallInventory()
                inventory.nodes = [node]
                try store.upsertInventory(inventory, by: operatorWho)
            }),
            ("update a node", { _ = try store.updateNode(NodeID("n\(Int.random(in: 0..<nodes, using: &rng))"), by: operatorWho) { $0.cpuMilli += 1 } }),
            ("raw node edit", { try store.db.write { try $0.execute(sql: "UPDATE node SET body = json_set(body, '$.memoryMiB', abs(random() % 100000))") } }),
            ("raw pool edit", { try store.db.write { try $0.execute(sql: "UPDATE pool SET cluster = cluster") } }),
            ("catalog edit", {
                var model = t4
                model.pricePerHour = Double(Int.random(in: 1...9, using: &rng))
                try store.upsertCatalogModel(model, version: nil, seed: PriceVersion(model: "T4", effectiveFrom: 0, pricePerHour: Money("1.00")!), by: operatorWho)
            }),
            ("create a tenant", {
                let id = TenantID("t\(tenants.count)")
                try store.createTenant(Tenant(id: id), by: operatorWho)
                tenants.append(id)
            }),
            ("create a tenant twice (refused)", { try store.createTenant(Tenant(id: "a"), by: operatorWho) }),
            ("disable a tenant", { _ = try store.setTenantDisabled(tenants.randomElement(using: &rng)!, Bool.random(using: &rng), by: operatorWho) }),
            ("delete a tenant", { try store.deleteTenant(tenants.randomElement(using: &rng)!, by: operatorWho) }),
            ("set a quota", {
                let limit = Int.random(in: 1...8, using: &rng) * 1000
                try store.setQuota(Quota(tenant: tenants.randomElement(using: &rng)!, pool: "p", model: "T4", guaranteedMilli: limit / 2, limitMilli: limit), by: operatorWho)
            }),
            ("quota of a missing pool (refused)", { try store.setQuota(Quota(tenant: "a", pool: "nope", model: "T4", guaranteedMilli: 0, limitMilli: 1), by: operatorWho) }),
            ("delete a quota", { try store.deleteQuota(tenant: tenants.randomElement(using: &rng)!, pool: "p", model: "T4", by: operatorWho) }),
            ("grant a request", {
                requests += 1
                var request = routedRequest(RequestID("req-\(String(format: "%06d", requests))"))
                try request.transition(to: .approved, at: 2000, actor: "user:boss", reason: "fine")
                try request.transition(to: .granted, at: 2000, actor: "user:boss", reason: "granted")
                request.grant = request.id.grantID
                try store.createRequest(request, grant: grant(for: request), notices: [], idempotency: nil, by: operatorWho)
            }),
            ("expire a grant", {
                guard let active = try store.activeGrants().randomElement(using: &rng) else { return }
                _ = try store.updateGrant(active.id, action: "expire", by: operatorWho) { grant, request in
                    grant.state = .expired
                    try request.transition(to: .expired, at: 90000, actor: "system:expiry", reason: "window ended")
                    return []
                }
            }),
        ]
        for step in 0..<120 {
            try expectCachesFresh(store, step: step, "warm-up")  // every cache holds a value the next write could make stale
            let (name, op) = ops[Int.random(in: 0..<ops.count, using: &rng)]
            _ = try? op()
            try expectCachesFresh(store, step: step, name)
        }
    }

    @Test("a job is decoded once per change stamp, and the decoded jobs stay within their bound")
    func decodedJobsByStamp() throws {
        let cache = DecodedJobs(capacity: 3)
        let job = Job(id: "job-000001", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1))
        #expect(try cache.job(stamp: 1, body: try SQLiteStore.json(job)) == job)
        #expect(try cache.job(stamp: 1, body: "not json") == job)  // a hit decodes nothing
        #expect(throws: (any Error).self) { try cache.job(stamp: 2, body: "not json") }
        for stamp in 2...4 { _ = try cache.job(stamp: Int64(stamp), body: try SQLiteStore.json(job)) }
        #expect(cache.count <= 3)
    }

    @Test("the decoded jobs never outgrow their bound however many versions pass, and a version read again and again stays decoded")
    func decodedJobsBound() throws {
        let cache = DecodedJobs(capacity: 4)
        let job = Job(id: "job-000001", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1))
        let body = try SQLiteStore.json(job)
        _ = try cache.job(stamp: 1, body: body)
        for stamp in 2...1_000 {
            _ = try cache.job(stamp: Int64(stamp), body: body)
            #expect(cache.count <= 4)
            #expect(try cache.job(stamp: 1, body: "not json") == job)  // still held: a hit decodes nothing
        }
        // Versions read once (a history read, a job changed since) are gone two turns later.
        #expect(cache.cached(stamp: 500) == nil && cache.cached(stamp: 999) != nil)
    }

    @Test("random job writes between reads: every read of a job (by id, a list page, the feed) equals a fresh decode", arguments: [7, 8] as [UInt64])
    func jobReadsStayFresh(seed: UInt64) throws {
        var rng = SeededGenerator(state: seed)
        let store = try seededStore()
        var ids: [JobID] = []
        func any() -> JobID { ids.randomElement(using: &rng)! }
        let ops: [() throws -> Void] = [
            { ids.append(try store.insertJob(Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1)), by: operatorWho).id) },
            { _ = try store.updateJob(any(), action: "priority", by: operatorWho) { $0.priority = [.p0, .p1, .p2].randomElement()! } },
            { _ = try store.applyCycle(decisions: [], waiting: [any(): PendingReason(kind: "quota", message: "try \(Int.random(in: 0...3))")], by: operatorWho) },
            { _ = try store.applyCycle(decisions: [(any(), [placement("n\(Int.random(in: 0...1))", [Int.random(in: 0...1)], milli: 250)], "fits")], waiting: [:], by: operatorWho) },
            { _ = try store.transitionJob(any(), to: [.running, .cancelled, .succeeded, .queued].randomElement()!, by: operatorWho, message: "moved") },
        ]
        _ = try ops[0]()
        for _ in 0..<150 {
            _ = try? ops[Int.random(in: 0..<ops.count, using: &rng)]()
            let fresh = try store.db.read { db in
                try String.fetchAll(db, sql: "SELECT body FROM job ORDER BY seq DESC").map { try SQLiteStore.decode(Job.self, $0) }
            }
            #expect(try store.jobs(JobListFilter(), page: PageRequest(limit: 1000)).items == fresh)
            let id = any()
            #expect(try store.job(id) == fresh.first { $0.id == id })
            #expect(try store.jobsChanged(since: 0, limit: 1000).jobs.sorted { $0.id > $1.id } == fresh)
            // The profiles' streamed read of what jobs did on each device: the same as from the decoded jobs.
            let held: Set<JobState> = [.admitted, .running, .succeeded, .cancelled]
            #expect(try store.deviceWork(states: held, since: 0, limit: 1000) == DeviceWork(fresh.filter { held.contains($0.state) }))
            #expect(try store.deviceWork(states: held, since: 0, limit: 2) == DeviceWork(Array(fresh.filter { held.contains($0.state) }.prefix(2))))
        }
    }

    @Test("what the caches save at openb scale: 1,213 nodes × 8 GPUs, 10,000 jobs (figures printed, nothing timed is asserted)")
    func figures() throws {
        let file = TemporaryDatabase()
        let store = try file.pool()
        let nodes = (0..<1213).map { i -> Node in
            let id = NodeID(String(format: "openb-node-%04d", i))
            return Node(id: id, pool: "p", cpuMilli: 96000, memoryMiB: 786432, devices: (0..<8).map { Device(node: id, index: $0, model: "T4", memoryMiB: 15360) })
        }
        var inventory = smallInventory()
        inventory.nodes = nodes
        try store.upsertInventory(inventory, by: operatorWho)
        try store.createTenant(Tenant(id: "a"), by: operatorWho)
        let job = Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1))
        for _ in 0..<10 {
            try store.db.write { db in for _ in 0..<1000 { _ = try SQLiteStore.insertNumbered(db, job) } }
        }
        let clock = ContinuousClock()
        func mean(_ runs: Int, _ body: () throws -> Void) rethrows -> Duration {
            try clock.measure { for _ in 0..<runs { try body() } } / runs
        }
        let freshInventory = try mean(5) { _ = try store.db.read(SQLiteStore.readInventory) }
        _ = try store.inventory()
        let cachedInventory = try mean(50) { _ = try store.inventory() }
        let pending = JobListFilter(states: [.queued])
        let freshPage = try mean(3) {
            _ = try store.db.read { db in try String.fetchAll(db, sql: "SELECT body FROM job ORDER BY seq DESC LIMIT 1000").map { try SQLiteStore.decode(Job.self, $0) } }
        }
        _ = try store.jobs(pending, page: PageRequest(limit: 1000))
        let cachedPage = try mean(10) { _ = try store.jobs(pending, page: PageRequest(limit: 1000)) }
        let freshAll = try mean(2) { _ = try store.db.read { db in try String.fetchAll(db, sql: "SELECT body FROM job").map { try SQLiteStore.decode(Job.self, $0) } } }
        _ = try store.jobs(tenant: nil, states: [.queued], since: nil, limit: 1_000_000)
        let cachedAll = try mean(5) { _ = try store.jobs(tenant: nil, states: [.queued], since: nil, limit: 1_000_000) }
        print("""
            store caches at openb scale (mean per call, decoded afresh / memoised):
              inventory(), 1,213 nodes:        \(freshInventory) / \(cachedInventory)
              a page of 1,000 of 10,000 jobs:  \(freshPage) / \(cachedPage)
              all 10,000 queued jobs:          \(freshAll) / \(cachedAll)
            """)
        #expect(try store.inventory().nodes.count == 1213)
    }

    @Test("a cycle's commit works on the job as last written, not on a version read before a change")
    func cycleCommitSeesTheLatestVersion() throws {
        let store = try seededStore()
        let job = try store.insertJob(Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1)), by: operatorWho)
        _ = try store.jobs(JobListFilter(states: [.queued]), page: PageRequest())  // the cycle's read decodes (and remembers) it
        _ = try store.updateJob(job.id, action: "priority", by: operatorWho) { $0.priority = .p0 }
        _ = try store.applyCycle(decisions: [], waiting: [job.id: PendingReason(kind: "quota", message: "over")], by: operatorWho)
        let stored = try #require(try store.job(job.id))
        #expect(stored.priority == .p0 && stored.reason?.kind == "quota")
        try store.db.write { db in try db.execute(sql: "UPDATE job SET body = json_set(body, '$.name', 'renamed'), change_seq = change_seq + 100 WHERE id = ?", arguments: [job.id.rawValue]) }
        _ = try store.applyCycle(decisions: [(job.id, [placement("n0", [0])], "fits")], waiting: [:], by: operatorWho)
        let admitted = try #require(try store.job(job.id))
        #expect(admitted.state == .admitted && admitted.name == "renamed" && admitted.priority == .p0)
    }
}
