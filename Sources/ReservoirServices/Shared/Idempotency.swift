import Crypto
import Foundation
import ReservoirCore
import ReservoirStore

/// Idempotent creation: a retry with the same `Idempotency-Key` returns what the first request created.
enum Idempotency {
    /// The stored form of a client's `Idempotency-Key` for one creating request, or nil without a key.
    /// The fingerprint covers the route and the decoded request, so YAML and JSON of the same job match.
    static func key<Request: Encodable>(_ key: String?, route: String, request: Request, by principal: Principal) throws -> IdempotencyKey? {
        guard let key else { return nil }
        guard !key.isEmpty, key.utf8.count <= InputLimits.idempotencyKeyBytes, key.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 }) else {
            throw ReservoirError.invalid("Idempotency-Key", "must be 1–255 visible ASCII characters")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let digest = SHA256.hash(data: Data(route.utf8) + (try encoder.encode(request)))
        return IdempotencyKey(actor: principal.actor, key: key, fingerprint: digest.map { String(format: "%02x", $0) }.joined())
    }

    /// The object an earlier request with the same key created (`jobs/job-000042`), or nil to create it now.
    /// The same key with a different request is refused: the client has mixed up its keys.
    static func replay(_ key: IdempotencyKey?, in store: any IdempotencyStore) throws -> String? {
        guard let key, let earlier = try store.idempotentResult(actor: key.actor, key: key.key) else { return nil }
        guard earlier.fingerprint == key.fingerprint else {
            throw ReservoirError(.unsatisfiable, field: "Idempotency-Key", "was already used for a different request (it created \(earlier.object)); use a new key")
        }
        return earlier.object
    }
}
