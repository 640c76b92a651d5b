import Foundation
import GRDB
import ReservoirCore
@testable import ReservoirStore
import Testing

/// The SQL statements a store ran, with their arguments, so a test can ask SQLite how it plans them.
final class StatementLog: @unchecked Sendable {
    private let lock = NSLock()
    private var statements: [String] = []

    func record(_ sql: String) { lock.withLock { statements.append(sql) } }

    /// Empties the log and returns what it held.
    func take() -> [String] { lock.withLock { defer { statements = [] }; return statements } }

    /// An in-memory store whose every statement is logged with its arguments.
    func store() throws -> (SQLiteStore, DatabaseQueue) {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.publicStatementArguments = true
        configuration.prepareDatabase { db in
            db.trace { event in if case .statement(let statement) = event { self.record(statement.expandedSQL) } }
        }
        let queue = try DatabaseQueue(configuration: configuration)
        return (try SQLiteStore(writer: queue), queue)
    }
}

@Suite("Store at scale")
struct StoreScaleTests {
    @Test("every list query reads in index order (no sort of the whole match), through the index of its filter")
    func listQueriesUseIndexes() throws {
        let log = StatementLog()
        let (store, queue) = try log.store()
        _ = try pagedStore(store)
        let page = PageRequest(limit: 5)
        // Each list, with a cursor where its key allows, and the index its filter must use (nil: the table's own order).
        let cases: [(String?, () throws -> Void)] = [
            ("INTEGER PRIMARY KEY", { _ = try store.jobs(JobListFilter(), page: PageRequest(limit: 5, cursor: Cursor(key: ["20"]))) }),
            ("job_tenant", { _ = try store.jobs(JobListFilter(tenant: "a"), page: PageRequest(limit: 5, cursor: Cursor(key: ["20"]))) }),
            ("job_state", { _ = try store.jobs(JobListFilter(states: [.queued]), page: page) }),
            ("job_pool", { _ = try store.jobs(JobListFilter(pool: "q"), page: page) }),
            ("job_event_job", { _ = try store.events(job: "job-000001", page: PageRequest(limit: 5, cursor: Cursor(key: ["1"]))) }),
            ("INTEGER PRIMARY KEY", { _ = try store.auditEntries(AuditListFilter(), page: PageRequest(limit: 5, cursor: Cursor(key: ["40"]))) }),
            ("audit_tenant", { _ = try store.auditEntries(AuditListFilter(tenant: "a"), page: page) }),
            ("sqlite_autoindex_tenant", { _ = try store.tenants(page: PageRequest(limit: 2, cursor: Cursor(key: ["b"]))) }),
            ("user_tenant", { _ = try store.users(tenant: "a", page: page) }),
            ("token_created", { _ = try store.tokens(user: nil, page: PageRequest(limit: 2, cursor: Cursor(key: ["2000.0", "tok-1"]))) }),
            ("token_user", { _ = try store.tokens(user: "a-u0", page: page) }),
            ("sqlite_autoindex_quota", { _ = try store.quotas(tenant: "a", pool: nil, page: page) }),
            ("quota_pool", { _ = try store.quotas(tenant: nil, pool: "q", page: page) }),
            ("node_pool", { _ = try store.nodes(pool: "p", state: nil, page: page) }),
            ("INTEGER PRIMARY KEY", { _ = try store.forecastRecords(page: PageRequest(limit: 2, cursor: Cursor(key: ["5"]))) }),
            ("service_adjustment_service", { _ = try store.adjustments(service: "s", page: PageRequest(limit: 5, cursor: Cursor(key: ["3"]))) }),
            ("capacity_request_tenant", { _ = try store.capacityRequests(tenant: "a", state: nil, page: page) }),
            ("capacity_request_state", { _ = try store.capacityRequests(tenant: nil, state: .pending, page: page) }),
            ("job_service", { _ = try store.replicas(of: "s", states: nil) }),
        ]
        for (index, list) in cases {
            _ = log.take()
            try list()
            let select = try #require(log.take().last { $0.hasPrefix("SELECT") })
            let plan = try queue.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + select) }.map { $0["detail"] as String }.joined(separator: "; ")
            #expect(!plan.contains("TEMP B-TREE"), "\(select): \(plan)")
            if let index { #expect(plan.contains(index), "\(select): \(plan)") }
        }
    }

    @Test("a page of jobs from 20,000 costs a page, not the table")
    func aPageOfManyJobsIsCheap() throws {
        let store = try seededStore()
        let job = Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1))
        try store.db.write { db in for _ in 0..<20_000 { _ = try SQLiteStore.insertNumbered(db, job) } }
        let clock = ContinuousClock()
        var first: Page<Job>?
        var deep: Page<Job>?
        let onePage = clock.measure {
            first = try? store.jobs(JobListFilter(), page: PageRequest(limit: 100))
            deep = try? store.jobs(JobListFilter(), page: PageRequest(limit: 100, cursor: Cursor(key: ["1050"])))
        }
        let whole = clock.measure { _ = try? store.jobs(tenant: nil, states: nil, limit: 1_000_000) }
        #expect(first?.items.count == 100 && first?.items.first?.id == "job-020000" && first?.next != nil)
        #expect(deep?.items.first?.id == "job-001049" && deep?.items.count == 100)
        print("store pages: two pages of 100 of 20,000 jobs took \(onePage); decoding all 20,000 took \(whole)")
        #expect(onePage * 20 < whole, "two pages \(onePage) vs all \(whole)")
    }
}
