import Foundation
import ReservoirCore

/// A cycle's whole result in a canonical order (waiting reasons sorted by job id, keys sorted), so
/// the same decisions always give the same bytes: `reservoir bench cycle --dump` writes it to compare
/// two builds, and `DeepQueueCycleTests` pins the benchmark snapshot's result by its digest, so a
/// change made for speed cannot change a decision, a placement, a rationale or a waiting reason.
public struct CycleDump: Encodable, Sendable {
    public var decisions: [Decision]
    public var evictions: [Eviction]
    public var resizes: [Resize]
    public var reservations: [Reservation]
    public var waiting: [Waiting]

    public struct Waiting: Encodable, Sendable {
        public var job: JobID
        public var reason: PendingReason
    }

    public init(_ result: CycleResult) {
        decisions = result.decisions
        evictions = result.evictions
        resizes = result.resizes
        reservations = result.reservations
        waiting = result.waiting.sorted { $0.key < $1.key }.map { Waiting(job: $0.key, reason: $0.value) }
    }

    /// Pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }

    /// FNV-1a (64 bit) of `json()`, as 16 hex digits: short enough to pin in a test.
    public func digest() throws -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in try json() {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
