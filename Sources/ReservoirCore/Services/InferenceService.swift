/// An inference service (SPEC §5.8): a long-running set of identical replicas serving one model
/// under an SLA, scaled between `minReplicas` and `maxReplicas` by its autoscaling policy. Each
/// replica is a `Job` of kind `inference` tagged with the service (`Job.service`); the service
/// holds only what replicas cannot tell: how many it wants, its SLA, its policy and its traffic.
public struct InferenceService: Codable, Hashable, Sendable {
    /// The service's name, unique in the reservoir (it names its replicas: `NAME-r3`).
    public var id: ServiceID
    public var tenant: TenantID
    public var pool: PoolID
    /// The model served (`llama-3-8b`), for people; which GPUs it runs on is `request.models`.
    public var model: String
    /// What one replica asks for.
    public var request: ResourceRequest
    public var minReplicas: Int
    public var maxReplicas: Int
    /// Replicas the service wants now: changed only by an adjustment (deploy, autoscaler, manual).
    public var desiredReplicas: Int
    public var priority: PriorityClass
    public var sla: ServiceSLA
    /// Requests per second one replica serves at full GPU utilization.
    public var capacityQPS: Double
    public var autoscaling: AutoscalingPolicy
    /// Simulated traffic (demos, tests, the simulated engine); nil for a service whose traffic is real.
    public var traffic: TrafficProfile?
    public var createdAt: Double
    public var createdBy: UserID
    /// The open idle confirmation with its owner (SPEC §5.7), if operators asked one; cleared by a reclamation.
    public var idleConfirmation: IdleConfirmation? = nil

    public init(
        id: ServiceID, tenant: TenantID, pool: PoolID, model: String, request: ResourceRequest, minReplicas: Int, maxReplicas: Int,
        desiredReplicas: Int, priority: PriorityClass = .p1, sla: ServiceSLA, capacityQPS: Double? = nil,
        autoscaling: AutoscalingPolicy = AutoscalingPolicy(), traffic: TrafficProfile? = nil, createdAt: Double, createdBy: UserID
    ) {
        self.id = id
        self.tenant = tenant
        self.pool = pool
        self.model = model
        self.request = request
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.desiredReplicas = desiredReplicas
        self.priority = priority
        self.sla = sla
        self.capacityQPS = capacityQPS ?? Self.defaultCapacityQPS(sla: sla, maxReplicas: maxReplicas)
        self.autoscaling = autoscaling
        self.traffic = traffic
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// Without a measured per-replica capacity, the SLA's peak served by all `maxReplicas` at full
    /// utilization: the least a replica must serve for the service to meet its peak at all.
    public static func defaultCapacityQPS(sla: ServiceSLA, maxReplicas: Int) -> Double {
        sla.peakQPS / Double(max(1, maxReplicas))
    }

    /// The replica count an adjustment may set: within `minReplicas…maxReplicas`.
    public var replicaRange: ClosedRange<Int> { minReplicas...max(minReplicas, maxReplicas) }

    /// Rejects malformed services, naming the field as the submission spells it.
    public func validate() throws(ReservoirError) {
        try InputLimits.identifier(id.rawValue, field: "name")
        try InputLimits.name(model, field: "model")
        try Bounds.check(minReplicas, "replicas.min", in: Bounds.serviceReplicas)
        try Bounds.check(maxReplicas, "replicas.max", in: Bounds.serviceReplicas)
        guard minReplicas <= maxReplicas else {
            throw .invalid("replicas.max", "must be at least replicas.min (\(minReplicas)); it is \(maxReplicas)")
        }
        guard replicaRange.contains(desiredReplicas) else {
            throw .invalid("replicas.initial", "must be within replicas.min…replicas.max (\(minReplicas)…\(maxReplicas))")
        }
        try request.validate()
        try sla.validate()
        try Bounds.check(capacityQPS, "capacityQPS", in: Bounds.serviceQPS)
        guard capacityQPS > 0 else { throw .invalid("capacityQPS", "must be more than 0") }
        try autoscaling.validate()
        try traffic?.validate()
    }
}

/// What a service promises its callers.
public struct ServiceSLA: Codable, Hashable, Sendable {
    /// The p99 latency target, milliseconds.
    public var p99LatencyMs: Double
    /// The highest request rate the service must serve, per second.
    public var peakQPS: Double

    public init(p99LatencyMs: Double, peakQPS: Double) {
        self.p99LatencyMs = p99LatencyMs
        self.peakQPS = peakQPS
    }

    public func validate() throws(ReservoirError) {
        try Bounds.check(p99LatencyMs, "sla.p99LatencyMs", in: Bounds.latencyMs)
        guard p99LatencyMs > 0 else { throw .invalid("sla.p99LatencyMs", "must be more than 0") }
        try Bounds.check(peakQPS, "sla.peakQPS", in: Bounds.serviceQPS)
        guard peakQPS > 0 else { throw .invalid("sla.peakQPS", "must be more than 0") }
    }
}
