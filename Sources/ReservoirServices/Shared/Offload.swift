import Dispatch

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
}

extension PlanningContext {
    /// Runs planning use cases off the cooperative pool (`Offload`): they read every job of the
    /// history window and fit forecasting models, which takes seconds to minutes.
    public func offloaded<T: Sendable>(_ work: @escaping @Sendable (PlanningContext) throws -> T) async throws -> T {
        try await Offload.run { try work(self) }
    }
}
