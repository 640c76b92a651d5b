import ReservoirCore
@testable import ReservoirStore
import ReservoirTestSupport
import Testing

/// The shared invariant checker (`ReservoirTestSupport`) finds what it promises to find.
@Suite("Store invariants")
struct StoreInvariantsTests {
    @Test("a consistent store has no violations; a booking no job placed, or a half-placed job, is reported")
    func violationsAreFound() throws {
        let store = try seededStore()
        let job = try store.insertJob(Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 1)), by: operatorWho)
        _ = try store.applyCycle(decisions: [(job.id, [placement("n0", [0])], "test")], waiting: [:], by: operatorWho)
        #expect(try StoreInvariants.violations(store).isEmpty)

        try store.db.write { db in
            try db.execute(sql: "INSERT INTO allocation (job, replica, device, node, milli) VALUES (?, 0, 'n1/gpu1', 'n1', 500)", arguments: [job.id.rawValue])
        }
        let violations = try StoreInvariants.violations(store)
        #expect(violations.contains { $0.contains("n1/gpu1") }, "\(violations)")

        _ = try store.updateJob(job.id, action: "grow", by: operatorWho) { $0.replicas = 2 }
        #expect(try StoreInvariants.violations(store).contains { $0.contains("1 of 2 replicas placed") })
    }
}
