import ReservoirCore

/// Idempotent creation: what an earlier request with the same key created, if any.
public protocol IdempotencyStore: Sendable {
    func idempotentResult(actor: String, key: String) throws -> IdempotentResult?
}
