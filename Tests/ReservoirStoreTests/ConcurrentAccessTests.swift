import Foundation
import GRDB
import ReservoirCore
@testable import ReservoirStore
import Testing

/// A database file in the temporary directory, removed (with its WAL files) when the test is done.
struct TemporaryDatabase: ~Copyable {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("reservoir-concurrency-\(UUID().uuidString).sqlite").path

    deinit { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }

    /// The store as `serve` opens it: a `DatabasePool`.
    func pool() throws -> SQLiteStore { try SQLiteStore(path: path) }

    /// The same file behind a `DatabaseQueue` (what the store used before): every access waits for the one before.
    func queue() throws -> SQLiteStore {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        return try SQLiteStore(writer: DatabaseQueue(path: path, configuration: configuration))
    }
}

/// A flag another thread polls; set once.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    var isSet: Bool { lock.withLock { stopped } }
    func set() { lock.withLock { stopped = true } }
}

/// How long the writes and reads of a request take while another thread holds a read transaction open.
struct HeldReadTimings {
    var submit: Duration
    var cycle: Duration
    var read: Duration
    /// What the held reader saw of the submitted job (nil: its snapshot predates the submission).
    var heldReaderSawSubmission: Bool
    var newReaderSawSubmission: Bool

    /// Opens a read transaction on another thread, keeps it `hold` long, and meanwhile submits a job,
    /// admits it (the scheduler's write) and reads it back.
    static func measure(_ store: SQLiteStore, hold: Duration) throws -> HeldReadTimings {
        let holding = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let sawSubmission = StopFlag()
        Thread.detachNewThread {
            try? store.db.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job")  // the snapshot starts here
                holding.signal()
                Thread.sleep(forTimeInterval: Double(hold.components.seconds) + Double(hold.components.attoseconds) / 1e18)
                if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE id = 'job-000001'") == 1 { sawSubmission.set() }
            }
            done.signal()
        }
        holding.wait()
        let clock = ContinuousClock()
        let job = Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1))
        let placement = ReplicaPlacement(replica: 0, node: "n0", deviceIndices: [0], gpuMilli: 1000, cpuMilli: 1000, memoryMiB: 1024)
        var submitted: Job?
        var seen: Job?
        let timed = Result { () throws -> (Duration, Duration, Duration) in
            let submit = try clock.measure { submitted = try store.insertJob(job, by: operatorWho) }
            let id = try #require(submitted?.id)
            let cycle = try clock.measure { _ = try store.applyCycle(decisions: [(id, [placement], "test")], waiting: [:], by: operatorWho) }
            let read = try clock.measure { seen = try store.job(id) }
            return (submit, cycle, read)
        }
        done.wait()
        let (submit, cycle, read) = try timed.get()
        return HeldReadTimings(submit: submit, cycle: cycle, read: read, heldReaderSawSubmission: sawSubmission.isSet, newReaderSawSubmission: seen?.state == .admitted)
    }
}

@Suite("Concurrent store access", .serialized)
struct ConcurrentAccessTests {
    static func seed(_ store: SQLiteStore) throws {
        try store.upsertInventory(smallInventory(), by: operatorWho)
        try store.createTenant(Tenant(id: "a"), by: operatorWho)
    }

    @Test("a long read held open stalls neither a submission, nor the scheduler's write, nor another read")
    func aLongReadBlocksNothing() throws {
        let file = TemporaryDatabase()
        let store = try file.pool()
        try Self.seed(store)
        let t = try HeldReadTimings.measure(store, hold: .seconds(2))
        #expect(t.submit < .milliseconds(1500) && t.cycle < .milliseconds(1500) && t.read < .milliseconds(1500), "\(t)")
        // The writes are committed when they return: a new read sees them; the held read keeps its snapshot.
        #expect(t.newReaderSawSubmission)
        #expect(!t.heldReaderSawSubmission)
    }

    @Test("behind a queue (the store before) the same writes wait for the reader: the test above measures something")
    func aQueueWaitsForTheReader() throws {
        let file = TemporaryDatabase()
        try Self.seed(try file.pool())
        let t = try HeldReadTimings.measure(try file.queue(), hold: .seconds(1))
        #expect(t.submit >= .milliseconds(900), "\(t)")
    }

    @Test("submission latency beside a reader that keeps reading the whole job table (figures printed)")
    func submissionLatencyBesideReports() throws {
        let file = TemporaryDatabase()
        let seeded = try file.pool()
        try Self.seed(seeded)
        let job = Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1))
        try seeded.db.write { db in for _ in 0..<5_000 { _ = try SQLiteStore.insertNumbered(db, job) } }

        func submissions(_ store: SQLiteStore, reading: Bool) throws -> (p50: Duration, mean: Duration, max: Duration, reads: Int) {
            let stop = StopFlag()
            let finished = DispatchSemaphore(value: 0)
            let reads = Counter()
            if reading {
                Thread.detachNewThread {
                    while !stop.isSet { _ = try? store.jobs(tenant: nil, states: nil, limit: 1_000_000); reads.increment() }
                    finished.signal()
                }
                Thread.sleep(forTimeInterval: 0.05)
            } else {
                finished.signal()
            }
            let clock = ContinuousClock()
            var latencies: [Duration] = []
            for _ in 0..<30 { latencies.append(try clock.measure { _ = try store.insertJob(job, by: operatorWho) }) }
            stop.set()
            finished.wait()
            latencies.sort()
            return (latencies[latencies.count / 2], latencies.reduce(.zero, +) / latencies.count, latencies.last!, reads.value)
        }

        let idle = try submissions(try file.pool(), reading: false)
        let pool = try submissions(try file.pool(), reading: true)
        let queue = try submissions(try file.queue(), reading: true)
        print("""
            submission latency, 30 submissions into 5,000 jobs (p50 / mean / max):
              pool, no reader:                    \(idle.p50) / \(idle.mean) / \(idle.max)
              pool, beside whole-table reads:     \(pool.p50) / \(pool.mean) / \(pool.max) (\(pool.reads) reads meanwhile)
              queue, beside whole-table reads:    \(queue.p50) / \(queue.mean) / \(queue.max) (\(queue.reads) reads meanwhile)
            """)
        // Behind a queue the slowest submission waited for a whole-table read; beside a pool none did.
        #expect(pool.max < queue.max)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
