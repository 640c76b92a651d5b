import ReservoirCore
import ReservoirServices

/// Leases: extension requests and decisions, and the view operators decide on.
extension Components {
    static let leases: [Component] = [extensionInput, extensionDecision, leaseExtension, leaseExtensions, waitingJob]

    static let extensionInput = Component("ExtensionInput", .input(required: [
        "days": Schema.number(0.001...Bounds.requestHours.upperBound / 24).described("Days to add; at most leases.extensionMaxDays"),
        "reason": Schema.text(minLength: 1).described("Why the lease needs more time; operators judge it"),
    ]))

    static let extensionDecision = Component("ExtensionDecision", .input(required: [
        "verdict": Schema.cases(ExtensionVerdict.self), "reason": Schema.text(minLength: 1).described("Told to the owner"),
    ]))

    static let leaseExtension = Component("LeaseExtension", .object(
        required: [
            "number": .integer(minimum: 1), "days": .number(minimum: 0), "reason": .string(), "requestedBy": .string(),
            "requestedAt": .number(), "state": .cases(LeaseExtension.State.self),
        ],
        optional: ["decidedBy": .string(), "decidedAt": .number(), "decisionReason": .string()]))

    static let leaseExtensions = Component("LeaseExtensions", .object(
        required: [
            "grant": .string(), "tenant": .string(), "state": .cases(GrantState.self), "extensions": .array(leaseExtension.ref),
            "remaining": Schema.integer(minimum: 0).described("Extensions still allowed"),
            "waiting": Schema.array(waitingJob.ref).described("Queued jobs on the grant's pool and model, longest waiting first"),
            "waitingGPUMilli": Schema.integer(minimum: 0).described("Milli-GPU all those queued jobs ask for"),
        ],
        optional: ["endsAt": Schema.number().described("Unix seconds; absent: no fixed term")]))

    static let waitingJob = Component("WaitingJob", .object(
        required: ["priority": .cases(PriorityClass.self), "gpuMilli": .integer(minimum: 0), "waitingSeconds": .number(minimum: 0)],
        optional: ["job": Schema.string().described("Absent for another tenant's job unless the reader sees every tenant"), "tenant": .string()]))
}
