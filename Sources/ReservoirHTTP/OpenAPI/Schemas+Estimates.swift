import ReservoirCore
import ReservoirServices

extension Components {
    static let estimates = [estimateInput, loadTestRow, estimateReply, trainingEstimate, trainingWorkload, parallelism, calibration, memoryFootprint, modelFit, inferenceEstimate]

    static let estimateInput = Component("EstimateInput", Schema.input(
        required: ["kind": .cases(EstimateRequest.Kind.self)],
        optional: [
            "parameters": Schema.number(EstimateRequest.Limits.parameters).described("training: model parameters (70e9 for 70B)"),
            "tokens": Schema.number(EstimateRequest.Limits.tokens).described("training: tokens trained on (2e12 for 2T)"),
            "model": Schema.symbol.described("training: a catalog GPU model with published FLOPS"),
            "gpus": Schema.integer(EstimateRequest.Limits.gpus).described("training: devices the run gets (default: the minimum that holds it); a multiple of tensorParallel × pipelineParallel"),
            "zeroStage": Schema.integer(EstimateRequest.Limits.zeroStage).described("training: ZeRO stage (3 = FSDP full sharding); default 3"),
            "tensorParallel": .integer(EstimateRequest.Limits.parallelDegree), "pipelineParallel": .integer(EstimateRequest.Limits.parallelDegree),
            "correction": Schema.number(EstimateRequest.Limits.correction).described("training: multiplier for network and I/O losses; default 1"),
            "loadTest": Schema.array(loadTestRow.ref, maxItems: EstimateRequest.Limits.loadTestRows.upperBound, minItems: 1).described("inference: one GPU's load test"),
            "p99Ms": Schema.number(EstimateRequest.Limits.latencyMs).described("inference: p99 latency target, ms"),
            "meanMs": Schema.number(EstimateRequest.Limits.latencyMs).described("inference: mean latency target, ms (at most p99Ms)"),
            "peakQPS": Schema.number(EstimateRequest.Limits.qps).described("inference: peak requests per second"),
            "replicasHA": Schema.integer(EstimateRequest.Limits.replicasHA).described("inference: spare GPUs for high availability; default 0"),
        ]))

    static let loadTestRow = Component("LoadTestRow", .object(required: [
        "concurrency": .integer(EstimateRequest.Limits.concurrency), "p50Ms": .number(EstimateRequest.Limits.latencyMs),
        "p99Ms": .number(EstimateRequest.Limits.latencyMs), "qps": .number(EstimateRequest.Limits.qps),
    ]))

    static let estimateReply = Component("EstimateReply", .object(
        required: ["kind": .cases(EstimateRequest.Kind.self)],
        optional: ["training": trainingEstimate.ref, "inference": inferenceEstimate.ref]))

    static let trainingEstimate = Component("TrainingEstimate", .object(required: [
        "workload": trainingWorkload.ref, "flops": .number(), "peakTFLOPS": .number(), "calibration": calibration.ref,
        "gpus": .integer(), "gpuHours": .number(), "wallClockHours": .number(), "memoryPerGPU": memoryFootprint.ref, "fits": .boolean,
        "minimumGPUs": .array(modelFit.ref), "assumptions": .array(.string()),
    ]))

    static let trainingWorkload = Component("TrainingWorkload", .object(
        required: ["parameters": .number(), "tokens": .number(), "model": .string(), "parallelism": parallelism.ref, "correction": .number()],
        optional: ["gpus": .integer()]))

    static let parallelism = Component("Parallelism", .object(required: ["zeroStage": .integer(), "tensorParallel": .integer(), "pipelineParallel": .integer()]))

    static let calibration = Component("Calibration", .object(
        required: ["model": .string(), "efficiency": .number(), "basis": .cases(Calibration.Basis.self), "runs": .integer(minimum: 0),
            "actuals": Schema.integer(minimum: 0).described("of runs, the actual GPU-hours of granted training runs this Reservoir recorded"),
        ],
        optional: ["meanAbsolutePercentError": Schema.number().described("leave-one-out mean absolute % error of GPU-hours on the recorded runs")]))

    static let memoryFootprint = Component("MemoryFootprint", .object(required: [
        "weightsGB": .number(), "gradientsGB": .number(), "optimizerGB": .number(), "activationsGB": .number(), "totalGB": .number(),
    ]))

    static let modelFit = Component("ModelFit", .object(
        required: ["model": .string(), "memoryGB": .number()], optional: ["minimumGPUs": .integer(), "wallClockHoursAtMinimum": .number()]))

    static let inferenceEstimate = Component("InferenceEstimate", .object(required: [
        "operatingPoint": loadTestRow.ref, "perGPUQPS": .number(), "p99TargetMs": .number(), "peakQPS": .number(),
        "servingGPUs": .integer(), "haReplicas": .integer(), "gpus": .integer(), "assumptions": .array(.string()),
    ]))
}
