import ReservoirCore
import ReservoirServices

/// Reclamations: their records and the operators' forced reclaim.
extension Components {
    static let reclamations = [reclamationRecord, forcedReclaim]

    static let reclamationRecord = Component("ReclamationRecord", .object(
        required: [
            "id": Schema.string().described("recl-<kind>-<object>-<n>: stable, so a reclamation completed again is recognised"),
            "kind": .cases(ReclaimedKind.self), "object": Schema.string().described("The grant, service or job taken back"),
            "reason": .cases(ReclamationReason.self), "tenant": .string(), "gpuMilli": Schema.integer(minimum: 0).described("GPUs taken back, milli-GPU"),
            "at": Schema.number().described("Unix seconds"), "actor": Schema.string().described("user:ID, or system:leases / system:idle"),
            "freedGPUHours": Schema.number(minimum: 0).described("GPUs taken back × the hours they would still have been held (30 days for no fixed term)"),
            "jobs": Schema.array(.string()).described("Jobs stopped by it (each got its checkpoint grace period)"), "note": .string(),
        ],
        optional: [
            "pool": .string(), "model": .string(),
            "approvedBy": Schema.string().described("The approval behind it: always set for a forced reclaim"),
        ]))

    static let forcedReclaim = Component("ForcedReclaim", .input(required: [
        "approval": Schema.name.described("The approval record behind it, e.g. the ticket: a forced reclaim is impossible without one"),
        "reason": Schema.name.described("Why it is taken back; told to the owner and kept in the record"),
    ]))
}
