import Foundation

/// A coalescing wake-up signal for one loop that otherwise runs on an interval (the scheduler,
/// provisioning): any number of pokes between two waits count as one, a poke before a wait is
/// kept for it, and a wait whose timeout wins leaves the signal as it was, so the next wait still
/// waits. (An `AsyncStream` iterated anew per wait does not do this: cancelling the iterator when
/// the timeout wins ends the stream, and every later wait returns at once — a spinning loop.)
public final class Wakeups: @unchecked Sendable {
    private let lock = NSLock()
    /// A poke arrived while nobody waited.
    private var pending = false
    /// Suspended waiters by ticket; a poke resumes them all.
    private var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var nextTicket: UInt64 = 0

    public init() {}

    /// Wakes the current waiters, or the next wait if nobody waits now.
    public func poke() {
        let woken: [CheckedContinuation<Void, Never>] = lock.withLock {
            guard !waiters.isEmpty else {
                pending = true
                return []
            }
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns on the next poke (or at once for one that came since the last wait) or after
    /// `seconds`, whichever comes first. Returns at once when the calling task is cancelled.
    public func wait(upTo seconds: Double) async {
        if lock.withLock({ consumePending() }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.nextPoke() }
            group.addTask { try? await Task.sleep(nanoseconds: UInt64(max(0, min(seconds, 1e9)) * 1_000_000_000)) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Suspends until a poke; on cancellation it leaves without consuming one.
    private func nextPoke() async {
        let ticket = lock.withLock {
            nextTicket += 1
            return nextTicket
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = lock.withLock {
                    // The cancellation flag is set before the handler runs, so checking it under the
                    // lock means the handler either finds this waiter or it was never stored.
                    if consumePending() || Task.isCancelled { return true }
                    waiters[ticket] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            lock.withLock { waiters.removeValue(forKey: ticket) }?.resume()
        }
    }

    /// Takes a pending poke; the caller holds the lock.
    private func consumePending() -> Bool {
        defer { pending = false }
        return pending
    }
}
