import ReservoirCore
import ReservoirServices

/// Idle capacity: candidates, confirmations, the L1 review (their records are `reclamationRecord`).
extension Components {
    static let idleReclamation: [Component] = [
        idleVerdict, idleConfirmation, idleServiceCandidate, idleAnswerInput, idleReclaimInput, l1ReviewReport, l1ReviewRow,
    ]

    static let utilizationPercent = Schema.number(0...100)

    static let idleVerdict = Component("IdleVerdict", .object(required: [
        "idle": .boolean, "daysReported": .integer(minimum: 0), "windowDays": .integer(minimum: 1),
        "peakUtilization": utilizationPercent.described("Highest daily peak GPU utilization over the window, percent"),
        "peakMemory": utilizationPercent.described("Highest daily peak GPU-memory utilization over the window, percent"),
    ]))

    static let idleConfirmation = Component("IdleConfirmation", .object(
        required: ["askedAt": .number(), "askedBy": .string(), "deadline": Schema.number().described("Unix seconds: the owner's answer is due"), "verdict": idleVerdict.ref],
        optional: ["answer": .cases(IdleConfirmation.Answer.self), "answeredBy": .string(), "answeredAt": .number(), "answerReason": .string()]))

    static let idleServiceCandidate = Component("IdleServiceCandidate", .object(
        required: [
            "service": .string(), "tenant": .string(), "pool": .string(), "model": .string(), "replicas": .integer(minimum: 0),
            "gpuMilli": .integer(minimum: 0), "verdict": idleVerdict.ref, "stage": .cases(["idle", "asked", "kept", "released"]), "summary": .string(),
        ],
        optional: ["confirmation": idleConfirmation.ref]))

    static let idleAnswerInput = Component("IdleAnswerInput", .input(required: ["answer": .cases(IdleConfirmation.Answer.self), "reason": .name]))

    static let idleReclaimInput = Component("IdleReclaimInput", .input(
        required: ["action": .cases(IdleReclaimInput.Action.self), "reason": .name],
        optional: ["replicas": Schema.integer(0...Bounds.serviceReplicas.upperBound).described("shrink: the replicas to keep (at least 1)")]))

    static let l1ReviewReport = Component("L1ReviewReport", .object(required: [
        "month": .string(), "rule": Schema.string().described("The recommendation rule in words"), "grants": .array(l1ReviewRow.ref),
    ]))

    static let l1ReviewRow = Component("L1ReviewRow", .object(
        required: [
            "grant": .string(), "tenant": .string(), "pool": .string(), "gpuMilli": .integer(minimum: 0), "state": .cases(GrantState.self),
            "usedGPUHours": .number(minimum: 0), "recommendation": .cases(L1Recommendation.self), "why": .string(),
        ],
        optional: ["peakUtilization": utilizationPercent, "meanUtilization": utilizationPercent, "estimatedGPUHours": .number(minimum: 0)]))
}
