import Foundation
import GRDB
import ReservoirCore

/// A decoded value remembered with the generation of the tables it was read from (`table_generation`,
/// bumped by triggers on every write, migration v15-job-changes). A read whose snapshot shows the same
/// generation gets the remembered value; any other generation decodes afresh, so no write path can leave
/// it stale. Of two readers racing, the value of the newer generation is the one kept.
final class GenerationMemo<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var entry: (generation: Int64, value: Value)?

    func value(at generation: Int64, decode: () throws -> Value) throws -> Value {
        if let entry = lock.withLock({ entry }), entry.generation == generation { return entry.value }
        let value = try decode()
        lock.withLock {
            if (entry?.generation ?? -1) < generation { entry = (generation, value) }
        }
        return value
    }
}

/// Decoded jobs by change stamp (`job.change_seq`, migration v15-job-changes). A stamp names one committed
/// version of one job (stamps only grow and are unique), so a job read again unchanged (the list a lister
/// polls, the pending and running jobs every scheduling cycle reads) is not decoded again, and a changed
/// job, having a new stamp, can never be served stale. Filled only from read transactions (committed rows).
///
/// Bounded by `capacity` whatever the size of the job table, in two generations: new versions go into
/// the young one; when it is full it becomes the old one (the previous old one is dropped) and a version
/// found there moves back to the young one. Versions in use survive, superseded and once-read ones (a
/// history read, a job that changed since) age out within two turns. Its first form, one table of 20,000
/// emptied when full but keeping its storage, grew with the table in a soak up to that size (17 MB).
final class DecodedJobs: @unchecked Sendable {
    /// Versions kept at most (both generations together).
    let capacity: Int
    private let lock = NSLock()
    private var young: [Int64: Job] = [:]
    private var old: [Int64: Job] = [:]

    init(capacity: Int) { self.capacity = max(2, capacity) }

    func job(stamp: Int64, body: String) throws -> Job {
        if let job = cached(stamp: stamp) { return job }
        let job = try SQLiteStore.decode(Job.self, body)
        lock.withLock { keep(job, stamp) }
        return job
    }

    /// The decoded version with this stamp, if read before; never decodes.
    func cached(stamp: Int64) -> Job? {
        lock.withLock {
            if let job = young[stamp] { return job }
            guard let job = old.removeValue(forKey: stamp) else { return nil }
            keep(job, stamp)
            return job
        }
    }

    private func keep(_ job: Job, _ stamp: Int64) {
        if young.count >= capacity / 2 {
            old = young
            young = [:]
        }
        young[stamp] = job
    }

    var count: Int { lock.withLock { young.count + old.count } }

    static let defaultCapacity = 8_192
}

/// The store's memoised decodes: its slowly changing tables, read by every submission and every
/// scheduling cycle, written by operators now and then (the whole inventory is 1,213 node bodies on openb),
/// and jobs by change stamp.
final class StoreCaches: Sendable {
    let inventory = GenerationMemo<Inventory>()
    let catalog = GenerationMemo<GPUCatalog>()
    let tenants = GenerationMemo<[Tenant]>()
    let quotas = GenerationMemo<[Quota]>()
    let activeGrants = GenerationMemo<[Grant]>()
    /// Several pages of 1,000 and the jobs the scheduler's feed and commit just read; a constant, so the
    /// store's memory does not follow the job table.
    let jobs = DecodedJobs(capacity: DecodedJobs.defaultCapacity)
}

extension SQLiteStore {
    /// The generation of `tables` in the caller's snapshot: the sum of their counters, which only grow.
    static func generation(_ db: Database, of tables: [String]) throws -> Int64 {
        let names = tables.map { "'\($0)'" }.joined(separator: ", ")
        return try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(SUM(gen), 0) FROM table_generation WHERE name IN (\(names))")) ?? 0
    }

    /// A job row read with its `change_seq` and `body` columns, decoded once per version.
    func decodedJob(_ row: Row) throws -> Job {
        try caches.jobs.job(stamp: row["change_seq"], body: row["body"])
    }

    /// A job read inside a write transaction (a cycle's commit compares every waiting job's reason): the
    /// decoded version when a read already decoded its stamp, else decoded here and not remembered. Safe
    /// because the cache holds only committed versions and every stamp this transaction writes is above them.
    func jobInWrite(_ db: Database, _ id: JobID) throws -> Job? {
        guard let row = try Row.fetchOne(db, sql: "SELECT change_seq, body FROM job WHERE id = ?", arguments: [id.rawValue]) else { return nil }
        return try caches.jobs.cached(stamp: row["change_seq"]) ?? Self.decode(Job.self, row["body"])
    }

    /// `decode` memoised in `memo`, keyed on the generation of `tables` read in the same snapshot.
    func memoised<Value: Sendable>(_ memo: GenerationMemo<Value>, tables: [String], _ decode: (Database) throws -> Value) throws -> Value {
        try db.read { db in
            try memo.value(at: try Self.generation(db, of: tables)) { try decode(db) }
        }
    }
}
