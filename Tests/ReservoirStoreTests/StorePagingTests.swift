import Foundation
import GRDB
import ReservoirCore
@testable import ReservoirStore
import Testing

/// Walks a list page by page through the cursors it returns (as a client would, through their text),
/// checking that only the last page lacks a `next` and no page is longer than asked.
func walk<T>(limit: Int, _ fetch: (PageRequest) throws -> Page<T>) throws -> [T] {
    var items: [T] = []
    var request = PageRequest(limit: limit)
    for _ in 0..<10_000 {
        let page = try fetch(request)
        items += page.items
        guard let next = page.next else { return items }
        #expect(page.items.count == limit, "a page with a next must be full")
        request.cursor = try Cursor(parsing: next.description)
    }
    Issue.record("the walk never ended")
    return items
}

/// Several tenants, users, tokens, quotas, nodes, jobs in every state, events, audit entries, forecasts, usage.
func pagedStore(_ store: SQLiteStore = try! SQLiteStore(path: nil)) throws -> SQLiteStore {
    let pools: [Pool] = [Pool(id: "p", cluster: "c"), Pool(id: "q", cluster: "c")]
    let nodes = (0..<7).map { i -> Node in
        let id = NodeID("n\(i)")
        return Node(id: id, pool: i < 4 ? "p" : "q", cpuMilli: 8000, memoryMiB: 32768,
                    devices: (0..<2).map { Device(node: id, index: $0, model: "T4", memoryMiB: 15360) }, state: i == 3 ? .cordoned : .ready)
    }
    try store.upsertInventory(Inventory(regions: [Region(id: "r")], clusters: [Cluster(id: "c", region: "r")], pools: pools, nodes: nodes), by: operatorWho)
    for t in ["a", "b", "c", "d", "e"] {
        try store.createTenant(Tenant(id: TenantID(t)), by: operatorWho)
        for u in 0..<3 { try store.createUser(User(id: UserID("\(t)-u\(u)"), tenant: TenantID(t), roles: [.member]), by: operatorWho) }
        for model in ["A100-80GB", "T4"] {
            for pool in ["p", "q"] { try store.setQuota(Quota(tenant: TenantID(t), pool: PoolID(pool), model: model, guaranteedMilli: 0, limitMilli: 1000), by: operatorWho) }
        }
    }
    for i in 0..<9 {
        // Two tokens share each creation instant: the id orders them.
        try store.createToken(id: TokenID("tok-\(i)"), user: UserID("a-u\(i % 2)"), hash: "h\(i)", expiresAt: nil, by: Attribution(actor: "op", at: 2000 + Double(i / 2)))
    }
    for i in 0..<30 {
        let job = Job(id: "x", name: "j\(i)", tenant: TenantID(["a", "b", "c"][i % 3]), submittedBy: "u", pool: i % 4 == 0 ? "q" : "p",
                      request: ResourceRequest(gpus: 1), submittedAt: 1000 + Double(i))
        let stored = try store.insertJob(job, by: operatorWho)
        if i % 5 == 0 { try store.transitionJob(stored.id, to: .cancelled, by: operatorWho, message: "no longer needed") }
    }
    for i in 0..<7 {
        try store.saveForecast(ForecastRecord(createdAt: Double(i), series: "demand/model=T4", start: 0, step: 3600, mean: [1], lower80: [0], upper80: [2], method: "naive"), by: operatorWho)
    }
    return store
}

@Suite("Store pages")
struct StorePagingTests {
    @Test("walking every list with small pages returns each item exactly once, in the order of the whole list", arguments: [1, 2, 7])
    func everyListWalksCompletely(limit: Int) throws {
        let store = try pagedStore()
        let everything = PageRequest(limit: 1_000_000)
        let jobs = try store.jobs(JobListFilter(), page: everything).items
        #expect(jobs.map(\.id) == (1...30).reversed().map { JobID(String(format: "job-%06d", $0)) })
        #expect(try walk(limit: limit) { try store.jobs(JobListFilter(), page: $0) } == jobs)
        #expect(try walk(limit: limit) { try store.events(job: "job-000001", page: $0) }.map(\.kind) == ["submitted", "cancelled"])
        let audit = try walk(limit: limit) { try store.auditEntries(AuditListFilter(), page: $0) }.map(\.id)
        let wholeAudit = try store.auditEntries(AuditListFilter(), page: everything).items.map(\.id)
        #expect(audit == wholeAudit && audit == audit.sorted(by: >) && Set(audit).count == audit.count)
        let tenants = try store.tenants()
        #expect(try walk(limit: limit) { try store.tenants(page: $0) } == tenants)
        let users = try store.users(tenant: nil)
        #expect(try walk(limit: limit) { try store.users(tenant: nil, page: $0) } == users)
        #expect(try walk(limit: limit) { try store.tokens(user: nil, page: $0) }.map(\.id) == (0..<9).map { TokenID("tok-\($0)") })
        let quotas = try store.quotas(tenant: nil)
        #expect(try walk(limit: limit) { try store.quotas(tenant: nil, pool: nil, page: $0) } == quotas)
        let nodes = try store.inventory().nodes
        #expect(try walk(limit: limit) { try store.nodes(pool: nil, state: nil, page: $0) } == nodes)
        let forecasts = try store.forecastRecords(limit: 100)
        #expect(forecasts.count == 7)
        #expect(try walk(limit: limit) { try store.forecastRecords(page: $0) } == forecasts)
    }

    @Test("filters combine, and each page of a filtered list keeps the filter")
    func filtersCombine() throws {
        let store = try pagedStore()
        let all = try store.jobs(JobListFilter(), page: PageRequest(limit: 1000)).items
        let inQ = all.filter { $0.pool == "q" }
        let filter = JobListFilter(tenant: "a", states: [.queued], pool: "p", since: 1003, until: 1025)
        let expected = all.filter { $0.tenant == "a" && $0.state == .queued && $0.pool == "p" && $0.submittedAt >= 1003 && $0.submittedAt < 1025 }
        #expect(!expected.isEmpty && expected.count < all.count)
        #expect(try walk(limit: 2) { try store.jobs(filter, page: $0) } == expected)
        let count = try store.countJobs(filter)
        #expect(count == expected.count)
        #expect(try walk(limit: 2) { try store.jobs(JobListFilter(states: [.cancelled, .queued], pool: "q"), page: $0) } == inQ)

        #expect(try walk(limit: 2) { try store.users(tenant: "b", page: $0) }.map(\.id) == ["b-u0", "b-u1", "b-u2"])
        #expect(try walk(limit: 1) { try store.tokens(user: "a-u1", page: $0) }.map(\.id) == ["tok-1", "tok-3", "tok-5", "tok-7"])
        #expect(try walk(limit: 3) { try store.quotas(tenant: "c", pool: "q", page: $0) }.map(\.model) == ["A100-80GB", "T4"])
        #expect(try walk(limit: 2) { try store.nodes(pool: "p", state: .ready, page: $0) }.map(\.id) == ["n0", "n1", "n2"])

        let audit = try walk(limit: 2) { try store.auditEntries(AuditListFilter(object: "jobs/job-000006", tenant: "c"), page: $0) }
        #expect(audit.map(\.action) == ["job.cancelled", "job.submit"])
        let since = try #require(audit.first?.at)
        #expect(try walk(limit: 2) { try store.auditEntries(AuditListFilter(tenant: "c", since: since, until: since + 1), page: $0) }.allSatisfy { $0.tenant == "c" })

        // An action or its family (up to a dot, never a prefix of a word); an actor exactly.
        let everything = try store.auditEntries(AuditListFilter(), page: PageRequest(limit: 1000)).items
        let jobs = everything.filter { $0.action.hasPrefix("job.") }
        #expect(!jobs.isEmpty && jobs.count < everything.count)
        #expect(try walk(limit: 2) { try store.auditEntries(AuditListFilter(action: "job"), page: $0) } == jobs)
        #expect(try walk(limit: 2) { try store.auditEntries(AuditListFilter(action: "job.submit"), page: $0) } == jobs.filter { $0.action == "job.submit" })
        #expect(try store.auditEntries(AuditListFilter(action: "jo"), page: PageRequest(limit: 10)).items.isEmpty)
        let actor = try #require(jobs.first?.actor)
        #expect(try walk(limit: 2) { try store.auditEntries(AuditListFilter(actor: actor, action: "job"), page: $0) } == jobs.filter { $0.actor == actor })
        #expect(try store.auditEntries(AuditListFilter(actor: actor + "x"), page: PageRequest(limit: 10)).items.isEmpty)
    }

    @Test("a cursor from another list, or a forged one, is refused naming `cursor`")
    func foreignCursorsAreRefused() throws {
        let store = try pagedStore()
        let tenantCursor = try #require(try store.tenants(page: PageRequest(limit: 1)).next)
        for fetch in [
            { _ = try store.jobs(JobListFilter(), page: PageRequest(limit: 1, cursor: tenantCursor)) },
            { _ = try store.quotas(tenant: nil, pool: nil, page: PageRequest(limit: 1, cursor: tenantCursor)) },
            { _ = try store.tokens(user: nil, page: PageRequest(limit: 1, cursor: tenantCursor)) },
        ] as [() throws -> Void] {
            let error = #expect(throws: ReservoirError.self, performing: fetch)
            #expect(error?.field == "cursor")
        }
    }

    @Test("an older database gains the job pool column, filled from the job bodies")
    func migrationFillsThePoolColumn() throws {
        let queue = try DatabaseQueue()
        var migrator = Migrations.migrator
        try migrator.migrate(queue, upTo: "v5-job-command")
        let old = try SQLiteStore.json(Job(id: "job-000001", name: "j", tenant: "a", submittedBy: "u", pool: "q", request: ResourceRequest(gpus: 1)))
        try queue.write { db in
            try db.execute(sql: "INSERT INTO tenant (id, body) VALUES ('a', ?)", arguments: [try SQLiteStore.json(Tenant(id: "a"))])
            try db.execute(sql: "INSERT INTO job (seq, id, tenant, state, priority, submitted_at, body) VALUES (1, 'job-000001', 'a', 'queued', 'P2', 0, ?)", arguments: [old])
        }
        let store = try SQLiteStore(writer: queue)
        #expect(try store.jobs(JobListFilter(pool: "q"), page: PageRequest()).items.map(\.id) == ["job-000001"])
    }
}
