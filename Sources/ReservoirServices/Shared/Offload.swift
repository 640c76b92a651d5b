import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs long work — a capacity plan over weeks of history, a forecast report — on threads of its
/// own instead of Swift's cooperative pool. That pool has one thread per core (two in CI): a plan
/// computed on it for a minute would hold a thread that HTTP handlers, submissions and the scheduler
/// loop need, and on two cores stall the server. Offloaded, the plan competes only for CPU time.
public enum Offload {
    private static let queue = DispatchQueue(label: "reservoir.offload", qos: .utility, attributes: .concurrent)

    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Bulk reads a client may repeat in a loop (a page of 1,000 jobs): run on `BackgroundThreads`,
    /// which yield the CPU to submissions, engine events and the scheduler whenever those want it.
    /// They hold no write lock (WAL readers), so running them slower delays no writer. Never for a write.
    public static func read<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            BackgroundThreads.shared.run { continuation.resume(with: Result { try work() }) }
        }
    }
}

extension PlanningContext {
    /// Runs planning use cases off the cooperative pool (`Offload`): they read every job of the
    /// history window and fit forecasting models, which takes seconds to minutes.
    public func offloaded<T: Sendable>(_ work: @escaping @Sendable (PlanningContext) throws -> T) async throws -> T {
        try await Offload.run { try work(self) }
    }
}

/// One thread per core at a low CPU priority (Linux `nice` 10: a tenth of a normal thread's share
/// when both want the CPU, all of it when nothing else does). Reads beside a stream of submissions
/// used to take 30–45 % of the submissions' throughput on two cores; at low priority they take
/// what the writers leave. (Dispatch's QoS classes do not lower a thread's priority on Linux.)
final class BackgroundThreads: @unchecked Sendable {
    static let shared = BackgroundThreads(count: max(1, ProcessInfo.processInfo.activeProcessorCount), nice: 10)

    private let condition = NSCondition()
    private var work: [() -> Void] = []

    init(count: Int, nice: Int32) {
        for i in 0..<count {
            let thread = Thread { [self] in loop(nice: nice) }
            thread.name = "reservoir.background-\(i)"
            thread.start()
        }
    }

    func run(_ job: @escaping () -> Void) {
        condition.lock()
        work.append(job)
        condition.signal()
        condition.unlock()
    }

    private func loop(nice: Int32) {
        #if os(Linux)
        // On Linux the nice value is per thread, and `who = 0` names the calling thread (setpriority(2)).
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
        #endif
        while true {
            condition.lock()
            while work.isEmpty { condition.wait() }
            let job = work.removeFirst()
            condition.unlock()
            job()
        }
    }
}
