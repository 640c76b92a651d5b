import ReservoirCore
import ReservoirServices

/// Inference services: the deployment, the service and its view, adjustments, capacity requests.
extension Components {
    static let services: [Component] = [
        serviceSpec, serviceSpecReplicas, serviceSpecSLA, serviceSpecAutoscaling, serviceSpecTraffic, trafficSpike, serviceScaling,
        capacityRequestClosing, inferenceService, serviceSLA, autoscalingPolicy, trafficProfile, serviceView, replicaStatus, serviceLoad,
        serviceAdjustment, serviceCapacityRequest,
    ]

    static let percent = Schema.number(Bounds.percent)
    static let qps = Schema.number(Bounds.serviceQPS)

    /// `ServiceSpec`: `POST /v1/services`, JSON or YAML.
    static let serviceSpec = Component("ServiceSpec", .input(
        required: [
            "name": Schema.identifier.described("The service's name, unique in the reservoir"), "pool": .identifier,
            "model": Schema.name.described("The model served"), "request": submissionRequest.ref, "replicas": serviceSpecReplicas.ref,
            "sla": serviceSpecSLA.ref,
        ],
        optional: [
            "tenant": Schema.identifier.described("Operators deploy on behalf of a tenant; members' services go to their own"),
            "priority": .cases(PriorityClass.self),
            "capacityQPS": qps.exclusiveMinimum.described("Requests per second one replica serves at full GPU utilization; default SLA peak ÷ max replicas"),
            "autoscaling": serviceSpecAutoscaling.ref, "traffic": serviceSpecTraffic.ref,
        ]))

    static let serviceSpecReplicas = Component("ServiceSpecReplicas", .input(
        required: ["min": .integer(Bounds.serviceReplicas), "max": Schema.integer(Bounds.serviceReplicas).described("At least min")],
        optional: ["initial": Schema.integer(Bounds.serviceReplicas).described("Within min…max; default min")]))

    /// An SLA needs both; a missing one is a 400 naming it.
    static let serviceSpecSLA = Component("ServiceSpecSLA", .input(
        required: [
            "p99LatencyMs": Schema.number(Bounds.latencyMs).exclusiveMinimum.described("The p99 latency target, milliseconds"),
            "peakQPS": qps.exclusiveMinimum.described("Peak requests per second"),
        ]))

    static let serviceSpecAutoscaling = Component("ServiceSpecAutoscaling", .input(
        required: [:],
        optional: [
            "scaleOutUtilPercent": percent.described("Default 80; above targetUtilPercent"),
            "scaleOutMemoryPercent": Schema.number(Bounds.percent).exclusiveMinimum.described("Default 90"),
            "scaleInUtilPercent": percent.described("Default 30; below targetUtilPercent"),
            "targetUtilPercent": percent.described("Default 60: the utilization a scaling aims at"),
            "windowSeconds": Schema.number(Bounds.autoscalingWindowSeconds).described("Default 300"),
            "cooldownSeconds": Schema.number(Bounds.autoscalingCooldownSeconds).described("Default 300"),
            "maxStep": Schema.integer(Bounds.serviceReplicas).described("Default 4"),
        ]))

    static let serviceSpecTraffic = Component("ServiceSpecTraffic", .input(
        required: ["baseQPS": qps],
        optional: [
            "diurnalAmplitude": Schema.number(0...1).described("Default 0"), "peakHour": Schema.number(0...24).described("UTC; default 20"),
            "spikes": .array(trafficSpike.ref, maxItems: InputLimits.entries),
        ]))

    static let trafficSpike = Component("TrafficSpike", .object(required: [
        "start": .unixSeconds, "end": Schema.unixSeconds.described("After start"), "multiplier": .number(Bounds.surgeFactor),
    ]))

    static let serviceScaling = Component("ServiceScaling", .input(
        required: ["replicas": Schema.integer(Bounds.serviceReplicas).described("Within the service's min…max"), "reason": .name]))

    static let capacityRequestClosing = Component("CapacityRequestClosing", .input(required: ["note": .name]))

    static let inferenceService = Component("InferenceService", .object(required: [
        "id": .string(), "tenant": .string(), "pool": .string(), "model": .string(), "request": resourceRequest.ref,
        "minReplicas": .integer(minimum: 0), "maxReplicas": .integer(minimum: 0),
        "desiredReplicas": Schema.integer(minimum: 0).described("0 once an idle service was reclaimed whole"),
        "priority": .cases(PriorityClass.self), "sla": serviceSLA.ref, "capacityQPS": .number(minimum: 0), "autoscaling": autoscalingPolicy.ref,
        "createdAt": .number(), "createdBy": .string(),
    ], optional: ["traffic": trafficProfile.ref, "idleConfirmation": idleConfirmation.ref]))

    static let serviceSLA = Component("ServiceSLA", .object(required: ["p99LatencyMs": .number(minimum: 0), "peakQPS": .number(minimum: 0)]))

    static let autoscalingPolicy = Component("AutoscalingPolicy", .object(required: [
        "scaleOutUtilPercent": percent, "scaleOutMemoryPercent": percent, "scaleInUtilPercent": percent, "targetUtilPercent": percent,
        "windowSeconds": .number(minimum: 0), "cooldownSeconds": .number(minimum: 0), "maxStep": .integer(minimum: 1),
    ]))

    static let trafficProfile = Component("TrafficProfile", .object(required: [
        "baseQPS": .number(minimum: 0), "diurnalAmplitude": .number(0...1), "peakHour": .number(0...24), "spikes": .array(trafficSpike.ref),
    ]))

    static let serviceView = Component("ServiceView", .object(
        required: ["service": inferenceService.ref, "replicas": replicaStatus.ref, "load": serviceLoad.ref],
        optional: ["lastAdjustment": serviceAdjustment.ref]))

    static let replicaStatus = Component("ReplicaStatus", .object(required: [
        "desired": .integer(minimum: 0), "running": .integer(minimum: 0), "pending": .integer(minimum: 0), "jobs": .array(.string()),
    ]))

    static let serviceLoad = Component("ServiceLoad", .object(
        required: ["at": .number(), "measured": Schema.boolean.described("Whether utilization was measured (telemetry) rather than estimated from traffic")],
        optional: [
            "qps": Schema.number(minimum: 0).described("Offered requests per second (simulated traffic)"), "gpuUtilPercent": .number(minimum: 0),
            "memoryPercent": .number(minimum: 0),
            "p99LatencyMsEstimate": Schema.number(minimum: 0).described("An estimate: each replica an M/M/1 queue at its utilization"),
            "withinSLA": .boolean,
        ]))

    static let serviceAdjustment = Component("ServiceAdjustment", .object(
        required: [
            "id": .integer(minimum: 1), "service": .string(), "tenant": .string(), "at": .number(), "before": .integer(minimum: 0),
            "after": .integer(minimum: 0), "actor": .string(), "tier": Schema.integer(1...3).described("1 replicas, 2 regional reserve, 3 cross-region"),
            "kind": .cases(AdjustmentKind.self), "reason": .string(), "nodes": .array(.string()),
        ],
        optional: ["request": Schema.string().described("The capacity request made or fulfilled")]))

    static let serviceCapacityRequest = Component("ServiceCapacityRequest", .object(
        required: [
            "id": .string(), "service": .string(), "tenant": .string(), "pool": .string(), "region": .string(),
            "tier": Schema.integer(2...3).described("2 regional reserve, 3 cross-region"), "state": .cases(CapacityRequestState.self),
            "gpus": .integer(minimum: 1), "models": .array(.string()), "reason": .string(), "createdAt": .number(), "nodes": .array(.string()),
        ],
        optional: ["decidedAt": .number(), "decidedBy": .string(), "note": .string()]))
}
