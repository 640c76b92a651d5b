import Foundation
import ReservoirCore
@testable import ReservoirStore
import Testing

/// The audit entry's diff compares the raw text of each top-level field and parses only those that
/// differ; it must give exactly what parsing both whole objects gives.
@Suite("Audit diff")
struct AuditDiffTests {
    func same(_ before: String, _ after: String) {
        let fast = AuditDiff.changes(before: Data(before.utf8), after: Data(after.utf8))
        let full = AuditDiff.changesParsingAll(before: Data(before.utf8), after: Data(after.utf8))
        #expect(fast?.before == full?.before && fast?.after == full?.after, "\(before) → \(after): \(String(describing: fast)) vs \(String(describing: full))")
    }

    @Test("random job changes: the same fields, before and after, as parsing both jobs whole")
    func randomJobChanges() throws {
        var rng = SystemRandomNumberGenerator()
        var job = Job(id: "job-000001", name: "train \"big\" / {model}", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 2))
        for step in 0..<300 {
            let before = job
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: job.priority = [.p0, .p1, .p2, .p3].randomElement(using: &rng)!
            case 1: job.progressSeconds += Double.random(in: 0...1_000, using: &rng)
            case 2: job.placements = [ReplicaPlacement(replica: 0, node: NodeID("n\(step % 3)"), deviceIndices: [step % 8], gpuMilli: 1000, cpuMilli: 0, memoryMiB: 0)]
            case 3: job.reason = Bool.random(using: &rng) ? nil : PendingReason(kind: "quota", message: "over \\ the \"limit\" {\(step)}")
            case 4: job.startedAt = Bool.random(using: &rng) ? nil : Double(step) + 0.1
            default: job.name = "renamed, [\(step)]"
            }
            same(try SQLiteStore.json(before), try SQLiteStore.json(job))
        }
    }

    @Test("what the scanner does not follow gives the full comparison's answer")
    func edges() {
        same(#"{"a": 1, "b": [1, {"c": "}"}]}"#, #"{ "a" : 1 , "b" : [1, {"c": "]"}] }"#)
        same(#"{"a\"b": 1}"#, #"{"a\"b": 2}"#)
        same(#"{"a": 1, "a": 2}"#, #"{"a": 3}"#)
        same(#"{}"#, #"{"x": null}"#)
        same(#"[1]"#, #"{"a": 1}"#)
        same(#"{"a": 1.0}"#, #"{"a": 1}"#)
        same(#"{"a": "x"#, #"{"a": "y"}"#)
    }
}
