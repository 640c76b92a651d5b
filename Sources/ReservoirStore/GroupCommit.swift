import Foundation
import GRDB

/// Group commit: many small durable writes share one transaction and one fsync.
///
/// A submission used to be its own transaction, so each paid a WAL fsync (`synchronous = FULL`) and
/// the writer did nothing else meanwhile: throughput was one write per sync. Here callers enqueue
/// their work and await it; one drain loop takes everything queued (up to `maxBatch`), runs it in
/// ONE transaction (each item in its own savepoint, in arrival order), commits, and only then
/// answers every caller. Whatever arrives while that transaction syncs forms the next batch, so
/// there is no timer and no added latency when load is light (a lone write is a batch of one).
///
/// Guarantees:
/// - An item's caller is answered strictly after the COMMIT that made its work durable.
/// - An item that throws rolls back to its savepoint alone; the others in the batch still commit.
/// - Items run in the order they were enqueued (job ids stay dense and ordered).
/// - A failed COMMIT (disk full, I/O error) fails every item of the batch: nobody was acknowledged.
///
/// The wait for the commit is an `await` on GRDB's writer queue, never a blocked cooperative thread.
public final class GroupCommit: @unchecked Sendable {
    private let writer: any DatabaseWriter
    /// The most items one transaction takes; the rest wait for the next one.
    let maxBatch: Int
    /// Tests only: runs inside each batch's transaction after its last item and before COMMIT,
    /// with the batch's size (so a test can see what was acknowledged before that commit).
    private let beforeCommit: (@Sendable (Database, Int) -> Void)?

    private let lock = NSLock()
    private var queue: [any PendingWrite] = []
    private var draining = false

    public init(writer: any DatabaseWriter, maxBatch: Int = 512, beforeCommit: (@Sendable (Database, Int) -> Void)? = nil) {
        self.writer = writer
        self.maxBatch = max(1, maxBatch)
        self.beforeCommit = beforeCommit
    }

    /// Runs `work` in the next batch's transaction, in a savepoint of its own, and returns its result
    /// once that transaction has committed. An error thrown by `work` is rethrown with nothing of it kept.
    public func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(Pending(work: work, continuation: continuation))
        }
    }

    /// How many writes wait for a batch (tests: to know a batch has formed behind a busy writer).
    var waiting: Int { lock.withLock { queue.count } }

    private func enqueue(_ item: any PendingWrite) {
        let start = lock.withLock {
            queue.append(item)
            defer { draining = true }
            return !draining
        }
        if start { Task.detached { await self.drain() } }
    }

    /// Commits batch after batch until the queue is empty; the next `enqueue` starts it again.
    private func drain() async {
        while let batch = nextBatch() {
            let beforeCommit = self.beforeCommit
            do {
                try await writer.write { db in
                    for item in batch {
                        item.run(db)
                        // Some errors (I/O, disk full) make SQLite roll back the whole transaction, not
                        // just the savepoint: then the items before were lost too, and the rest must not
                        // run outside a transaction. The whole batch fails.
                        guard db.isInsideTransaction else { throw DatabaseError(resultCode: .SQLITE_ABORT, message: "a group commit's transaction was rolled back") }
                    }
                    beforeCommit?(db, batch.count)
                }
                for item in batch { item.answer(commitError: nil) }
            } catch {
                for item in batch { item.answer(commitError: error) }
            }
        }
    }

    private func nextBatch() -> [any PendingWrite]? {
        lock.withLock {
            guard !queue.isEmpty else {
                draining = false
                return nil
            }
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            return batch
        }
    }
}

/// One caller's work in a batch: run inside the transaction, answered after it ends.
private protocol PendingWrite: AnyObject, Sendable {
    func run(_ db: Database)
    func answer(commitError: (any Error)?)
}

/// `run` and `answer` are called once each, in that order, by the drain loop (the await on the
/// writer orders them), so `result` needs no lock.
private final class Pending<T: Sendable>: PendingWrite, @unchecked Sendable {
    let work: @Sendable (Database) throws -> T
    let continuation: CheckedContinuation<T, any Error>
    private var result: Result<T, any Error>?

    init(work: @escaping @Sendable (Database) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.work = work
        self.continuation = continuation
    }

    func run(_ db: Database) {
        var value: T?
        result = Result {
            try db.inSavepoint {
                value = try work(db)
                return .commit
            }
            return value!
        }
    }

    func answer(commitError: (any Error)?) {
        if let commitError {
            continuation.resume(throwing: commitError)
        } else {
            continuation.resume(with: result ?? .failure(CancellationError()))
        }
    }
}
