import Foundation
import GRDB
import ReservoirCore
import ReservoirStore
import Testing

/// Business events (migration `v16-business-events`): ids assigned in order, kept across a restart,
/// withdrawn with an audit entry, and an inverted range refused by the table itself.
@Suite("Business event store")
struct BusinessEventStoreTests {
    static func event(_ name: String, start: Double) -> BusinessEventRecord {
        BusinessEventRecord(name: name, kind: .contractRamp, start: start, end: start + 3600, uplift: nil, extraGPUs: 16, pools: ["p1"], models: [],
                            note: "ramp", createdAt: 1, createdBy: "user:admin")
    }

    @Test func eventsAreKeptInOrderAcrossARestartAndWithdrawnWithTheirAudit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reservoir-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("r.sqlite").path
        let who = Attribution(actor: "user:admin", at: 1)
        do {
            let store = try SQLiteStore(path: path)
            let late = try store.addBusinessEvent(Self.event("late", start: 2_000), by: who)
            let early = try store.addBusinessEvent(Self.event("early", start: 1_000), by: who)
            #expect(late.id == "ev-1" && early.id == "ev-2")
        }
        let store = try SQLiteStore(path: path)
        #expect(try store.businessEvents().map(\.name) == ["early", "late"], "by start")
        #expect(try store.deleteBusinessEvent("ev-1", by: who)?.name == "late")
        #expect(try store.deleteBusinessEvent("ev-1", by: who) == nil)
        #expect(try store.addBusinessEvent(Self.event("next", start: 3_000), by: who).id == "ev-3", "ids are never reused")
        #expect(try store.auditEntries(object: "business-events/ev-1", tenant: nil, limit: 10).map(\.action).sorted() == ["event.register", "event.withdraw"])
        var inverted = Self.event("inverted", start: 5_000)
        inverted.end = 4_000
        #expect(throws: (any Error).self) { try store.addBusinessEvent(inverted, by: who) }
        #expect(try store.businessEvents().count == 2)
    }
}
