import Foundation

/// Failed sign-ins per client address, on the reservoir's (injectable) clock. After `limit` failures within
/// `window` seconds an address is refused — 429 with Retry-After, the token not even looked at — until the
/// oldest of those failures leaves the window, so the token form cannot be used to guess tokens at line rate,
/// and one noisy address does not lock anybody else out. A successful sign-in clears its address.
/// Clients whose address the server does not know (no socket, as behind some test harnesses) share one
/// bucket; so do all clients behind one reverse proxy (its address is what the server sees).
final class SignInThrottle: @unchecked Sendable {
    /// Failures allowed within `window`; the next attempt is refused.
    static let limit = 5
    /// Seconds a failure counts.
    static let window: Double = 60
    /// Addresses tracked before expired ones are dropped (a bound on memory under a spray of addresses).
    static let pruneAbove = 1_024

    private let lock = NSLock()
    private var failures: [String: [Double]] = [:]

    /// Seconds `client` must wait before it may try again, or nil when it may try now.
    func retryAfter(_ client: String, now: Double) -> Int? {
        lock.withLock {
            let recent = (failures[client] ?? []).filter { now - $0 < Self.window }
            guard recent.count >= Self.limit, let oldest = recent.first else { return nil }
            return max(1, Int((oldest + Self.window - now).rounded(.up)))
        }
    }

    /// Counts a failed sign-in; true when it is the one that reaches the limit (the moment to audit).
    func recordFailure(_ client: String, now: Double) -> Bool {
        lock.withLock {
            if failures.count > Self.pruneAbove {
                failures = failures.filter { _, times in times.contains { now - $0 < Self.window } }
            }
            var recent = (failures[client] ?? []).filter { now - $0 < Self.window }
            recent.append(now)
            failures[client] = recent
            return recent.count == Self.limit
        }
    }

    /// Forgets `client`'s failures after it signed in.
    func recordSuccess(_ client: String) {
        lock.withLock { _ = failures.removeValue(forKey: client) }
    }
}
