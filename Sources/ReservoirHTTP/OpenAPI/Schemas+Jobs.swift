import ReservoirCore
import ReservoirServices

/// Jobs: the submission, the job as stored, its explanation, history and output.
extension Components {
    static let job = Component("Job", .object(
        required: [
            "id": .string(), "name": .string(), "tenant": .string(), "submittedBy": .string(), "kind": .cases(WorkloadKind.self),
            "replicas": .integer(minimum: 1), "minMembers": .integer(minimum: 1), "request": resourceRequest.ref,
            "priority": .cases(PriorityClass.self), "preemptible": .boolean, "state": .cases(JobState.self),
            "submittedAt": .number(), "progressSeconds": .number(minimum: 0), "placements": .array(replicaPlacement.ref),
        ],
        optional: [
            "pool": .string(), "runtimeSeconds": .number(), "startedAt": .number(), "finishedAt": .number(),
            "evictionRequestedAt": .number(), "pendingEngineCall": .cases(PendingEngineCall.self), "reason": pendingReason.ref,
            "message": .string(), "maxReplicas": .integer(minimum: 1), "checkpointedAt": .number(), "command": jobCommand.ref,
            "exitCode": .integer(), "service": Schema.string().described("The inference service this job is a replica of"),
            "grant": Schema.string().described("The grant the job runs under"),
            "preempted": Schema.array(.string()).described("Jobs evicted to make room for this one (recorded for jobs under a grant)"),
            "project": Schema.string().described("The tenant's project its usage is charged to"),
        ]))

    static let resourceRequest = Component("ResourceRequest", .object(
        required: [
            "gpus": .integer(Bounds.replicaGPUs), "gpuMilli": .integer(0...Bounds.gpuMilli.upperBound),
            "cpuMilli": .integer(Bounds.replicaCPUMilli), "memoryMiB": .integer(Bounds.replicaMemoryMiB),
            "models": .array(.string()), "nodeSelector": .map(.string()), "tolerations": .array(toleration.ref),
        ],
        optional: ["migProfile": .string(), "gpuMemoryMiB": .integer(Bounds.shareMemoryMiB)]))

    static let toleration = Component("Toleration", .object(required: [
        "key": .symbol, "value": Schema.text(maxBytes: InputLimits.valueBytes).described("Empty: any value of the key"),
    ]))

    static let replicaPlacement = Component("ReplicaPlacement", .object(
        required: [
            "replica": .integer(minimum: 0), "node": .string(), "deviceIndices": .array(.integer(minimum: 0)),
            "gpuMilli": .integer(minimum: 0), "cpuMilli": .integer(minimum: 0), "memoryMiB": .integer(minimum: 0),
        ],
        optional: ["migStartSlice": .integer(minimum: 0)]))

    static let pendingReason = Component("PendingReason", .object(required: [
        "kind": .string(), "message": .string(), "details": .map(.integer()),
    ]))

    /// What a job runs, as stored and shown.
    static let jobCommand = Component("JobCommand", .object(
        required: ["args": .array(.string()), "env": .map(.string())],
        optional: ["argv": .array(.string()), "script": .string(), "workingDirectory": .string(), "image": .string()]))

    /// `JobSubmission`: `POST /v1/jobs`, JSON or YAML.
    static let jobSubmission = Component("JobSubmission", .input(
        required: ["name": .name, "request": submissionRequest.ref],
        optional: [
            "tenant": Schema.identifier.described("Operators submit on behalf of a tenant; members' jobs go to their own"),
            "pool": Schema.identifier.described("Under a grant: its pool when omitted"), "kind": .cases(WorkloadKind.self),
            "priority": Schema.cases(PriorityClass.self).described("Under a grant: its class when omitted; any other is refused"),
            "grant": Schema.identifier.described("Run under this grant: admitted against its quota, inside its window, in its pool, model and class"),
            "project": Schema.text(maxBytes: InputLimits.nameBytes).described("The tenant's project its usage is charged to; omitted: its grant's request's project"),
            "preemptible": .boolean, "replicas": .integer(Bounds.replicas), "minMembers": .integer(Bounds.replicas),
            "runtimeSeconds": Schema.number(Bounds.runtimeSeconds).exclusiveMinimum.described("Declared runtime, more than 0"),
            "command": Schema.array(.text(maxBytes: JobCommand.Limits.argumentBytes), maxItems: JobCommand.Limits.arguments, minItems: 1)
                .described("The program and its first arguments (an argv, no shell); or give script"),
            "script": Schema.string(maxBytes: JobCommand.Limits.scriptBytes, minLength: 1).described("A script; without #! it runs under bash"),
            "args": .array(.text(maxBytes: JobCommand.Limits.argumentBytes), maxItems: JobCommand.Limits.arguments),
            "env": .map(.text(maxBytes: JobCommand.Limits.envValueBytes), maxEntries: JobCommand.Limits.envEntries),
            "workingDirectory": .string(maxBytes: JobCommand.Limits.pathBytes, pattern: "^/"),
            "image": .string(maxBytes: JobCommand.Limits.imageBytes, minLength: 1, pattern: "^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$"),
        ]))

    /// `JobSubmission.Request`: what one replica asks for.
    /// It must ask for something: GPUs, a MIG instance, or (CPU-only) milli-CPU.
    static let submissionRequest = Component("SubmissionRequest", Schema.input(
        required: [:],
        optional: [
            "gpus": .integer(Bounds.replicaGPUs), "gpuMilli": .integer(Bounds.gpuMilli),
            "cpuMilli": .integer(Bounds.replicaCPUMilli), "memoryMiB": .integer(Bounds.replicaMemoryMiB),
            "models": Schema.anyOf([
                .text(maxBytes: InputLimits.textBytes), .array(.text(maxBytes: InputLimits.symbolBytes), maxItems: InputLimits.entries),
            ]).described("Allowed models: A|B or a list; empty: any"),
            "migProfile": Schema.symbol.described("A MIG instance such as 1g.10gb, in a pool with sharing mig"),
            "gpuMemoryMiB": .integer(Bounds.shareMemoryMiB), "nodeSelector": .labels,
            "tolerations": .array(toleration.ref, maxItems: InputLimits.entries),
        ]
    ).requiring(anyOf: [
        .object(required: ["gpus": .integer(1...Bounds.replicaGPUs.upperBound)], open: true),
        .object(required: ["migProfile": .symbol], open: true),
        .object(required: ["cpuMilli": .integer(Bounds.replicaCPUMilli)], open: true),
    ]))

    /// `JobFilter`: `POST /v1/jobs/cancel`; at least one field with a value (so no `null`s), and only unfinished states.
    static let jobFilter = Component("JobFilter", .object(
        required: [:],
        optional: ["tenant": .string(), "state": .cases(JobState.allCases.filter { !$0.isFinal }.map(\.rawValue)), "pool": .string()],
        minProperties: 1))

    static let jobChange = Component("JobChange", .object(required: ["priority": .cases(PriorityClass.self)]))

    static let cancelledJobs = Component("CancelledJobs", .object(required: ["cancelled": .array(.string())]))

    static let explanation = Component("Explanation", .object(
        required: [
            "job": .string(), "state": .cases(JobState.self), "kind": .string(), "message": .string(),
            "details": .map(.integer()), "placements": .array(replicaPlacement.ref),
        ],
        optional: ["queuePosition": .integer(minimum: 1), "prediction": jobPrediction.ref]))

    static let jobEvent = Component("JobEvent", .object(required: ["at": .number(), "kind": .string(), "message": .string()]))

    static let jobLogs = Component("JobLogs", .object(
        required: [
            "job": .string(), "state": .cases(JobState.self), "offset": .integer(minimum: 0), "nextOffset": .integer(minimum: 0),
            "size": .integer(minimum: 0), "text": .string(), "complete": .boolean,
        ],
        optional: ["exitCode": .integer(), "location": .string()]))
}
