import Foundation

/// When retention pruning last ran, on Reservoir's clock: ingest prunes when the interval has passed,
/// so a server that receives telemetry keeps its tables bounded without a background task of its own.
final class PruneSchedule: @unchecked Sendable {
    private let lock = NSLock()
    private var last = -Double.infinity

    /// Whether a prune is due at `now`; if so, it counts as run from now.
    func claim(at now: Double, every interval: Double) -> Bool {
        lock.withLock {
            guard now - last >= interval else { return false }
            last = now
            return true
        }
    }
}
