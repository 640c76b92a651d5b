import Foundation
import ReservoirCore
import ReservoirStore
import Testing

@Suite("SQLite store: reclamation records")
struct ReclamationStoreTests {
    /// A store holding request req-000001 of tenant `a`, granted as grant-000001 (2 GPUs until 87400).
    func grantedStore() throws -> SQLiteStore {
        let store = try seededStore()
        var request = routedRequest()
        try request.transition(to: .approved, at: 2000, actor: "user:boss", reason: "fine")
        try request.transition(to: .granted, at: 2000, actor: "user:boss", reason: "granted")
        request.grant = request.id.grantID
        try store.createRequest(request, grant: grant(for: request), notices: [], idempotency: nil, by: operatorWho)
        return store
    }

    func record(_ id: String = "recl-grant-grant-000001-1", tenant: TenantID = "a", at: Double = 3600) -> ReclamationRecord {
        ReclamationRecord(
            id: id, kind: .grant, object: "grant-000001", reason: .forced, tenant: tenant, pool: "p", model: "T4", gpuMilli: 2000, at: at,
            actor: "user:op", approvedBy: "OPS-1", freedGPUHours: 2 * (87400 - at) / 3600, note: "capacity for an incident")
    }

    @Test("a grant's reclamation stores the grant, its request, the record, the notices and the audit at once; again it is a no-op")
    func reclaimIsIdempotent() throws {
        let store = try grantedStore()
        let who = Attribution(actor: "user:op", at: 3600)
        let change: (inout Grant, inout AllocationRequest) throws -> [OutboxNotification] = { grant, request in
            grant.state = .reclaimed
            try request.transition(to: .reclaimed, at: 3600, actor: "user:op", reason: "capacity for an incident")
            return RequestNotices.announce(request, grant: grant)
        }
        let first = try store.reclaimGrant("grant-000001", record: record(), by: who, change: change)
        #expect(first == record())
        #expect(try store.grant("grant-000001")?.state == .reclaimed)
        #expect(try store.request("req-000001")?.state == .reclaimed)
        #expect(try store.activeGrants().isEmpty)
        #expect(try store.reclamation("recl-grant-grant-000001-1") == record())
        let audit = try store.auditEntries(object: "grants/grant-000001", tenant: nil, limit: 10).map(\.action)
        #expect(audit == ["reclamation.forced", "grant.reclaim", "grant.create"])
        let notices = try store.notifications(for: nil, page: PageRequest()).items.count

        // Completed again (after a crash): nothing is written, the change is not even asked.
        let again = try store.reclaimGrant("grant-000001", record: record(), by: who) { _, _ in
            Issue.record("the change ran although the record exists")
            return []
        }
        #expect(again == nil)
        #expect(try store.recordReclamation(record(), notices: [], by: who) == nil)
        #expect(try store.auditEntries(object: "grants/grant-000001", tenant: nil, limit: 10).count == 3)
        #expect(try store.notifications(for: nil, page: PageRequest()).items.count == notices)
        #expect(try store.reclamations(since: 0, until: 10_000, tenant: nil, page: PageRequest()).items.count == 1)
    }

    @Test("a change that fails stores no record: the reclamation can be tried again")
    func failedChangeStoresNothing() throws {
        let store = try grantedStore()
        #expect(throws: ReservoirError.self) {
            try store.reclaimGrant("grant-000001", record: record(), by: operatorWho) { _, _ in
                throw ReservoirError(.conflict, field: "state", "no")
            }
        }
        #expect(try store.reclamation("recl-grant-grant-000001-1") == nil)
        #expect(try store.grant("grant-000001")?.state == .active)
        #expect(throws: ReservoirError.self) { try store.reclaimGrant("grant-000009", record: record(), by: operatorWho) { _, _ in [] } }
    }

    @Test("records are listed by time window and tenant, newest first, page by page")
    func listing() throws {
        let store = try seededStore()
        for (n, (tenant, at)) in [("a", 100.0), ("b", 200), ("a", 300), ("a", 400), ("a", 5000)].enumerated() {
            var r = record("recl-job-j\(n)-1", tenant: TenantID(tenant), at: at)
            r.kind = .job
            r.object = "j\(n)"
            try store.recordReclamation(r, notices: [], by: operatorWho)
        }
        #expect(try store.reclamations(since: 0, until: 1000, tenant: nil, page: PageRequest()).items.map(\.id) == [
            "recl-job-j3-1", "recl-job-j2-1", "recl-job-j1-1", "recl-job-j0-1",
        ])
        let first = try store.reclamations(since: 0, until: 1000, tenant: "a", page: PageRequest(limit: 2))
        #expect(first.items.map(\.id) == ["recl-job-j3-1", "recl-job-j2-1"])
        let next = try store.reclamations(since: 0, until: 1000, tenant: "a", page: PageRequest(limit: 2, cursor: first.next))
        #expect(next.items.map(\.id) == ["recl-job-j0-1"] && next.next == nil)
        #expect(try store.auditEntries(object: "jobs/j0", tenant: nil, limit: 10).map(\.action) == ["reclamation.forced"])
    }
}
