import ReservoirCore
import ReservoirServices

/// Resource requests: the intake form (and a submission with a job to run under an immediate grant),
/// the stored request, and the answer to a submission. `FeasibilityReport` and `AllocationTerms` are the
/// feasibility schemas' (`Schemas+Feasibility.swift`), `Grant` the grants' (`Schemas+Grants.swift`).
extension Components {
    static let requests = [
        requestForm, requestSubmission, trainingDetails, inferenceDetails, requestSLA, emergencyInput,
        allocationRequest, requestEstimate, routing, review, requestTransition, requestReply,
    ]

    private static let feasibilityReportRef = Schema.ref("FeasibilityReport")
    private static let allocationTermsRef = Schema.ref("AllocationTerms")
    private static let grantRef = Schema.ref("Grant")

    /// The form's fields (all optional to the schema: which are required depends on `kind` and
    /// `category`, and the server names every missing one at once).
    private static let formFields: [String: Schema] = [
        "tenant": Schema.identifier.described("default: the applicant's tenant"),
        "department": .name, "project": .name, "contact": Schema.name.described("mail, chat handle or phone"),
        "businessGoal": .name, "businessValue": .name,
        "kind": .cases(RequestKind.self),
        "category": Schema.cases(RequestCategory.self).described("L1, L2, research (training); online, offline-batch (inference)"),
        "pool": Schema.identifier.described("default: a pool with the GPU model"),
        "startsAt": Schema.unixSeconds.described("when the window should open; default: when granted"),
        "training": trainingDetails.ref, "inference": inferenceDetails.ref,
        "emergency": emergencyInput.ref.described("the green channel: a category from requests.emergency.categories"),
    ]

    static let requestForm = Component("RequestForm", .input(required: [:], optional: formFields))

    static let requestSubmission = Component("RequestSubmission", .input(
        required: [:],
        optional: formFields.merging(["job": jobSubmission.ref.described("a job to run under the grant when the request is approved in the same call")]) { a, _ in a }))

    static let trainingDetails = Component("TrainingDetails", .input(required: [:], optional: [
        "modelName": .name, "modelType": .name, "framework": .name,
        "parameters": Schema.number(RequestForm.Limits.parameters).described("70e9 for 70B"),
        "tokens": Schema.number(RequestForm.Limits.tokens).described("2e12 for 2T; or datasetSizeGB"),
        "datasetSizeGB": .number(RequestForm.Limits.datasetSizeGB), "datasetType": .name,
        "gpuModel": Schema.symbol.described("a catalog GPU model"), "gpus": .integer(RequestForm.Limits.gpus),
        "durationHours": Schema.number(RequestForm.Limits.hours).described("required except for L1 (no fixed term)"),
        "frequency": .cases(RunFrequency.self), "cudaVersion": .name, "pythonVersion": .name,
        "libraries": .map(.text(maxBytes: InputLimits.valueBytes), maxEntries: RequestForm.Limits.libraries),
    ]))

    static let inferenceDetails = Component("InferenceDetails", .input(required: [:], optional: [
        "modelName": .name, "inputFormat": .name, "outputFormat": .name, "sla": requestSLA.ref,
        "haReplicas": .integer(RequestForm.Limits.haReplicas), "canaryPercent": .number(RequestForm.Limits.canaryPercent),
        "gpuModel": Schema.symbol.described("a catalog GPU model"),
        "gpus": Schema.integer(RequestForm.Limits.gpus).described("default: the estimate from loadTest"),
        "loadTest": Schema.array(loadTestRow.ref, maxItems: EstimateRequest.Limits.loadTestRows.upperBound, minItems: 1),
        "durationHours": Schema.number(RequestForm.Limits.hours).described("required for offline-batch; online services have no fixed term"),
    ]))

    static let requestSLA = Component("RequestSLA", .input(required: [:], optional: [
        "meanLatencyMs": .number(RequestForm.Limits.latencyMs), "p99LatencyMs": Schema.number(RequestForm.Limits.latencyMs).described("at least the mean"),
        "peakQPS": .number(RequestForm.Limits.qps), "meanQPS": Schema.number(RequestForm.Limits.qps).described("at most the peak"),
    ]))

    static let emergencyInput = Component("EmergencyInput", .input(required: [:], optional: [
        "category": Schema.symbol.described("one of requests.emergency.categories"), "incident": .name, "description": .name,
    ]))

    static let allocationRequest = Component("AllocationRequest", .object(
        required: [
            "id": .string(), "tenant": .string(), "applicant": .string(), "form": requestForm.ref, "asked": allocationTermsRef,
            "state": .cases(RequestState.self), "submittedAt": .number(), "updatedAt": .number(), "reviews": .array(review.ref),
            "history": .array(requestTransition.ref), "overdue": Schema.boolean.described("routed, undecided, past its review deadline"),
        ],
        optional: [
            "estimate": requestEstimate.ref, "feasibility": feasibilityReportRef, "routing": routing.ref,
            "approved": allocationTermsRef.described("the terms approved (differ from asked when approved with changes)"),
            "grant": .string(),
        ]))

    static let requestEstimate = Component("RequestEstimate", .object(
        required: ["gpus": .integer(minimum: 0), "summary": .string()],
        optional: [
            "gpuHours": .number(), "wallClockHours": .number(),
            "calibrationError": Schema.number().described("the estimator's relative error for the model (0.11 = 11 %)"),
        ]))

    static let routing = Component("Routing", .object(
        required: [
            "tier": .cases(ReviewTier.self), "reviewers": .array(.string()), "requiredApprovals": .integer(minimum: 1),
            "dueAt": Schema.number().described("review deadline, Unix seconds"), "reason": .string(),
        ],
        optional: ["escalatedAt": .number(), "escalatedFrom": .cases(ReviewTier.self)]))

    static let review = Component("Review", .object(
        required: ["reviewer": .string(), "verdict": .cases(ReviewVerdict.self), "reason": .string(), "at": .number()],
        optional: ["changes": allocationTermsRef]))

    static let requestTransition = Component("RequestTransition", .object(required: [
        "from": .cases(RequestState.self), "to": .cases(RequestState.self), "at": .number(), "actor": .string(), "reason": .string(),
    ]))

    static let requestReply = Component("RequestReply", .object(
        required: ["request": allocationRequest.ref, "message": .string()],
        optional: ["grant": grantRef, "job": job.ref, "jobProblem": .string()]))
}
