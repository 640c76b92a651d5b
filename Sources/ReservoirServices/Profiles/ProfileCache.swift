import Foundation
import ReservoirCore

/// The last profiles built, shared by the scheduler (every cycle) and the API, so neither pays for a
/// rebuild more than once per `profiles.refreshSeconds` on Reservoir's clock. A change of the inventory,
/// of a device's state (a failure, maintenance) or of the health history is seen at once: the
/// fingerprint no longer matches.
final class ProfileCache: @unchecked Sendable {
    private let lock = NSLock()
    private var built: (at: Double, fingerprint: Int, profiles: [DeviceProfile])?

    /// The cached profiles if they are younger than `maxAge` and of the same inventory, else `build()`'s.
    func profiles(now: Double, maxAge: Double, fingerprint: Int, build: () throws -> [DeviceProfile]) rethrows -> [DeviceProfile] {
        lock.lock()
        if let built, built.fingerprint == fingerprint, now >= built.at, now - built.at < maxAge {
            defer { lock.unlock() }
            return built.profiles
        }
        lock.unlock()
        let fresh = try build()
        lock.lock()
        built = (now, fingerprint, fresh)
        lock.unlock()
        return fresh
    }
}
