import Foundation
import GRDB
import ReservoirCore
@testable import ReservoirStore
import Testing

/// What a test saw of a group commit: each batch's size and, at its COMMIT, how many writes had been
/// acknowledged; plus every acknowledgement's view of its own job from a fresh reader.
final class CommitLog: @unchecked Sendable {
    private let lock = NSLock()
    private var batches: [(size: Int, ackedBefore: Int)] = []
    private var acked = 0
    private var unseenAtAck: [JobID] = []

    var batchSizes: [Int] { lock.withLock { batches.map(\.size) } }

    func beforeCommit(_: Database, size: Int) { lock.withLock { batches.append((size, acked)) } }

    func acknowledged(_ id: JobID, visible: Bool) {
        lock.withLock {
            acked += 1
            if !visible { unseenAtAck.append(id) }
        }
    }

    /// Acknowledgements that came before their batch committed: at each COMMIT no more may have
    /// been acknowledged than the batches before it held.
    var earlyAcks: [String] {
        lock.withLock {
            var committed = 0
            var early: [String] = []
            for (i, b) in batches.enumerated() {
                if b.ackedBefore > committed { early.append("batch \(i): \(b.ackedBefore) acked, \(committed) committed") }
                committed += b.size
            }
            return early + unseenAtAck.map { "\($0) not visible when acknowledged" }
        }
    }
}

@Suite("Group commit", .serialized)
struct GroupCommitTests {
    static let job = Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1))

    /// A pool store on a file, seeded, with `log` watching every batch.
    static func store(_ file: borrowing TemporaryDatabase, log: CommitLog) throws -> SQLiteStore {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        let store = try SQLiteStore(writer: DatabasePool(path: file.path, configuration: configuration), beforeCommit: { log.beforeCommit($0, size: $1) })
        try ConcurrentAccessTests.seed(store)
        return store
    }

    /// Holds the writer with a write of the group commit's own that waits for the returned semaphore,
    /// so the writes enqueued meanwhile queue up behind it and form the next batch.
    /// (The test polls rather than waits on a semaphore: a blocked cooperative thread would starve
    /// the tests running beside it on two cores.)
    static func holdWriter(_ store: SQLiteStore) async throws -> DispatchSemaphore {
        let release = DispatchSemaphore(value: 0)
        let holding = StopFlag()
        Task { try await store.commits.write { _ in
            holding.set()
            release.wait()
        } }
        for _ in 0..<2_000 where !holding.isSet { try await Task.sleep(for: .milliseconds(5)) }
        try #require(holding.isSet)
        return release
    }

    /// Waits until `n` writes wait for a batch.
    static func waitUntil(_ store: SQLiteStore, waiting n: Int) async throws {
        for _ in 0..<2_000 where store.commits.waiting != n { try await Task.sleep(for: .milliseconds(5)) }
        try #require(store.commits.waiting == n)
    }

    @Test("every submission is acknowledged after the COMMIT that made it durable, and a fresh reader sees it then")
    func ackAfterCommit() async throws {
        let file = TemporaryDatabase()
        let log = CommitLog()
        let store = try Self.store(file, log: log)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    let job = try await store.insertJobDurably(Self.job, idempotency: nil, by: operatorWho)
                    log.acknowledged(job.id, visible: try store.job(job.id) != nil)
                }
            }
            try await group.waitForAll()
        }
        #expect(log.earlyAcks.isEmpty, "\(log.earlyAcks)")
        #expect(log.batchSizes.reduce(0, +) == 200)
        // Ids dense, each job with its submitted event and its audit entry.
        let ids = try store.jobs(tenant: nil, states: nil, limit: 1_000).map(\.id.rawValue).sorted()
        #expect(ids == (1...200).map { String(format: "job-%06d", $0) })
        let audited = try await store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(DISTINCT object) FROM audit WHERE action = 'job.submit'") }
        let events = try await store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM job_event WHERE kind = 'submitted'") }
        #expect(audited == 200 && events == 200)
    }

    @Test("writes that arrive while the writer is busy form one batch, committed in arrival order")
    func batchesInArrivalOrder() async throws {
        let file = TemporaryDatabase()
        let log = CommitLog()
        let store = try Self.store(file, log: log)
        let release = try await Self.holdWriter(store)
        var tasks: [Task<Job, any Error>] = []
        for i in 0..<10 {
            var job = Self.job
            job.name = "n\(i)"
            tasks.append(Task { try await store.insertJobDurably(job, idempotency: nil, by: operatorWho) })
            try await Self.waitUntil(store, waiting: i + 1)
        }
        release.signal()
        var stored: [Job] = []
        for task in tasks { stored.append(try await task.value) }
        #expect(stored.map(\.name) == (0..<10).map { "n\($0)" })
        #expect(stored.map(\.id.rawValue) == (1...10).map { String(format: "job-%06d", $0) })
        #expect(log.batchSizes == [1, 10])
    }

    @Test("the same Idempotency-Key twice in one batch: the first creates the job, the second is told to retry (409), one job")
    func sameKeyInOneBatch() async throws {
        let file = TemporaryDatabase()
        let log = CommitLog()
        let store = try Self.store(file, log: log)
        let key = IdempotencyKey(actor: "user:admin", key: "k-1", fingerprint: "f")
        let release = try await Self.holdWriter(store)
        let a = Task { try await store.insertJobDurably(Self.job, idempotency: key, by: operatorWho) }
        try await Self.waitUntil(store, waiting: 1)
        let b = Task { try await store.insertJobDurably(Self.job, idempotency: key, by: operatorWho) }
        try await Self.waitUntil(store, waiting: 2)
        release.signal()
        let created = try await a.value
        await #expect { _ = try await b.value } throws: { ($0 as? ReservoirError)?.code == .conflict }
        #expect(log.batchSizes == [1, 2])
        #expect(try store.idempotentResult(actor: "user:admin", key: "k-1")?.object == "jobs/\(created.id)")
        #expect(try store.countJobs(tenant: nil, states: nil, since: nil) == 1)
    }

    @Test("an item that fails rolls back alone: the batch's others commit, ids stay dense")
    func failedItemRollsBackAlone() async throws {
        let file = TemporaryDatabase()
        let log = CommitLog()
        let store = try Self.store(file, log: log)
        struct Refused: Error {}
        let release = try await Self.holdWriter(store)
        let before = Task { try await store.insertJobDurably(Self.job, idempotency: nil, by: operatorWho) }
        try await Self.waitUntil(store, waiting: 1)
        let failing = Task {
            try await store.commits.write { db in
                _ = try SQLiteStore.submitted(db, Self.job, idempotency: nil, by: operatorWho)
                throw Refused()
            }
        }
        try await Self.waitUntil(store, waiting: 2)
        let after = Task { try await store.insertJobDurably(Self.job, idempotency: nil, by: operatorWho) }
        try await Self.waitUntil(store, waiting: 3)
        release.signal()
        #expect(try await before.value.id == "job-000001")
        await #expect(throws: Refused.self) { try await failing.value }
        #expect(try await after.value.id == "job-000002")
        #expect(log.batchSizes == [1, 3])
        let audited = try await store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit WHERE action = 'job.submit'") }
        let events = try await store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM job_event") }
        #expect(audited == 2 && events == 2)
    }

    @Test("the pool's writer syncs every commit (synchronous = FULL), not GRDB's WAL default (NORMAL)")
    func writerIsDurable() throws {
        let file = TemporaryDatabase()
        let store = try file.pool()
        let level = try store.db.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(level == 2)
    }
}
