import Foundation
import GRDB
import ReservoirCore
@testable import ReservoirStore
import Testing

private func newJob(gpus: Int = 1) -> Job {
    Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: gpus))
}

/// Every job the store holds, by id (what a view built from the feed must equal).
private func allJobs(_ store: SQLiteStore) throws -> [JobID: Job] {
    Dictionary(uniqueKeysWithValues: try store.jobs(tenant: nil, states: nil, since: nil, limit: 1_000_000).map { ($0.id, $0) })
}

@Suite("Job change feed")
struct JobChangeFeedTests {
    @Test("the feed lists each changed job once, in its latest state, in the order of its last change")
    func orderAndLatestState() throws {
        let store = try seededStore()
        let a = try store.insertJob(newJob(), by: operatorWho)
        let b = try store.insertJob(newJob(), by: operatorWho)
        let c = try store.insertJob(newJob(), by: operatorWho)
        _ = try store.updateJob(a.id, action: "priority", by: operatorWho) { $0.priority = .p1 }
        let feed = try store.jobsChanged(since: 0, limit: 100)
        #expect(feed.jobs.map(\.id) == [b.id, c.id, a.id])
        #expect(feed.jobs.last?.priority == .p1)
        #expect(feed.through == (try store.jobChangeSeq()))
        let idle = try store.jobsChanged(since: feed.through, limit: 100)
        #expect(idle.jobs.isEmpty && idle.through == feed.through)
    }

    @Test("a full page ends at its last job's stamp; the next page carries on from it without gaps")
    func pagesCarryOn() throws {
        let store = try seededStore()
        for _ in 0..<5 { _ = try store.insertJob(newJob(), by: operatorWho) }
        var since: Int64 = 0
        var seen: [JobID] = []
        for _ in 0..<4 {
            let page = try store.jobsChanged(since: since, limit: 2)
            #expect(page.through >= since)
            seen += page.jobs.map(\.id)
            since = page.through
        }
        #expect(seen == (1...5).map { JobID("job-00000\($0)") })
        #expect(try store.jobsChanged(since: since, limit: 0).jobs.isEmpty)
    }

    @Test("every job write path stamps the job: submit, cycle (admit and reason), transition, update, resize")
    func everyWritePathStamps() throws {
        let store = try seededStore()
        var since = try store.jobChangeSeq()
        func changed() throws -> [JobID] {
            let feed = try store.jobsChanged(since: since, limit: 100)
            #expect(feed.through > since)
            since = feed.through
            return feed.jobs.map(\.id)
        }
        let a = try store.insertJob(newJob(), by: operatorWho)
        let b = try store.insertJob(newJob(), by: operatorWho)
        #expect(try changed() == [a.id, b.id])
        _ = try store.applyCycle(
            decisions: [(a.id, [placement("n0", [0])], "test")], waiting: [b.id: PendingReason(kind: "quota", message: "over")], by: operatorWho)
        #expect(Set(try changed()) == [a.id, b.id])
        _ = try store.transitionJob(a.id, to: .running, by: operatorWho, message: "started")
        #expect(try changed() == [a.id])
        _ = try store.resizeJob(a.id, replicas: 1, placements: [placement("n1", [0, 1])], reason: "grow", by: operatorWho)
        #expect(try changed() == [a.id])
        _ = try store.updateJob(b.id, action: "priority", by: operatorWho) { $0.priority = .p0 }
        #expect(try changed() == [b.id])
        _ = try store.transitionJob(b.id, to: .cancelled, by: operatorWho, message: "cancelled")
        let last = try store.jobsChanged(since: since, limit: 100)
        #expect(last.jobs.map(\.id) == [b.id] && last.jobs.first?.state == .cancelled)
    }

    @Test("the schema refuses a job write whose stamp does not grow, so no path can bypass the feed")
    func triggerRefusesUnstampedWrites() throws {
        let store = try seededStore()
        let a = try store.insertJob(newJob(), by: operatorWho)
        _ = try store.insertJob(newJob(), by: operatorWho)
        #expect(throws: DatabaseError.self) {
            try store.db.write { try $0.execute(sql: "UPDATE job SET state = 'cancelled' WHERE id = ?", arguments: [a.id.rawValue]) }
        }
        #expect(throws: DatabaseError.self) {  // grows for its own row but not past the newest stamp
            try store.db.write { try $0.execute(sql: "UPDATE job SET change_seq = change_seq + 1 WHERE id = ?", arguments: [a.id.rawValue]) }
        }
        #expect(throws: DatabaseError.self) {
            try store.db.write { db in
                try db.execute(
                    sql: "INSERT INTO job (seq, id, tenant, state, priority, submitted_at, body, change_seq) VALUES (99, 'job-000099', 'a', 'queued', 'P2', 0, '{}', 1)")
            }
        }
        #expect(try store.job(a.id)?.state == .queued)
    }

    @Test("stamps survive a restart and keep growing; a stamp ahead of the database reads as gone backwards")
    func restartAndBackwards() throws {
        let file = TemporaryDatabase()
        let first = try file.pool()
        try first.upsertInventory(smallInventory(), by: operatorWho)
        try first.createTenant(Tenant(id: "a"), by: operatorWho)
        _ = try first.insertJob(newJob(), by: operatorWho)
        let head = try first.jobChangeSeq()
        let reopened = try file.pool()
        #expect(try reopened.jobChangeSeq() == head)
        let next = try reopened.insertJob(newJob(), by: operatorWho)
        let feed = try reopened.jobsChanged(since: head, limit: 10)
        #expect(feed.jobs.map(\.id) == [next.id] && feed.through > head)
        // A consumer that followed a newer copy of the database sees `through < since`.
        #expect(try reopened.jobsChanged(since: feed.through + 50, limit: 10).through < feed.through + 50)
    }

    @Test("an older database's jobs get stamps from their seq, so a feed from 0 lists them all")
    func migrationStampsExistingJobs() throws {
        let queue = try DatabaseQueue()
        try Migrations.migrator.migrate(queue, upTo: "v14-alerts")
        let body = try SQLiteStore.json(newJob())
        try queue.write { db in
            try db.execute(sql: "INSERT INTO tenant (id, body) VALUES ('a', ?)", arguments: [try SQLiteStore.json(Tenant(id: "a"))])
            for seq in 1...2 {
                try db.execute(
                    sql: "INSERT INTO job (seq, id, tenant, state, priority, submitted_at, body) VALUES (?, ?, 'a', 'queued', 'P2', 0, ?)",
                    arguments: [seq, "job-00000\(seq)", body])
            }
        }
        let store = try SQLiteStore(writer: queue)
        let feed = try store.jobsChanged(since: 0, limit: 10)
        #expect(feed.jobs.count == 2 && feed.through == 2)
        let third = try store.insertJob(newJob(), by: operatorWho)
        #expect(try store.jobsChanged(since: 2, limit: 10).jobs.map(\.id) == [third.id])
    }

    @Test("a reader following the feed while a writer submits and changes jobs ends equal to a full read (it never skips a change)")
    func followerNeverMissesAChange() throws {
        let file = TemporaryDatabase()
        let store = try file.pool()
        try store.upsertInventory(smallInventory(), by: operatorWho)
        try store.createTenant(Tenant(id: "a"), by: operatorWho)
        let done = StopFlag()
        let writer = Thread {
            var rng = SystemRandomNumberGenerator()
            var ids: [JobID] = []
            for _ in 0..<300 {
                if ids.isEmpty || Bool.random(using: &rng) {
                    if let job = try? store.insertJob(newJob(), by: operatorWho) { ids.append(job.id) }
                } else if let id = ids.randomElement(using: &rng) {
                    _ = try? store.updateJob(id, action: "priority", by: operatorWho) { $0.priority = [.p0, .p1, .p2].randomElement()! }
                }
            }
            done.set()
        }
        writer.start()
        var view: [JobID: Job] = [:]
        var since: Int64 = 0
        func follow() throws {
            let feed = try store.jobsChanged(since: since, limit: 7)
            #expect(feed.through >= since)
            for job in feed.jobs { view[job.id] = job }
            since = feed.through
        }
        while !done.isSet { try follow() }
        while try !store.jobsChanged(since: since, limit: 1).jobs.isEmpty { try follow() }
        #expect(view == (try allJobs(store)))
    }
}
