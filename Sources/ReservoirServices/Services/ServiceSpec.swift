import ReservoirCore

/// An inference service as a client deploys it (`POST /v1/services`, JSON or YAML): the API shape,
/// whose defaults (policy thresholds, capacity per replica) `ServicesContext.deploy` fills in.
public struct ServiceSpec: Codable, Sendable {
    public struct Replicas: Codable, Sendable {
        public var min: Int
        public var max: Int
        /// Replicas to start with; default `min`.
        public var initial: Int?
    }

    public struct SLA: Codable, Sendable {
        /// Required: a service without a latency target cannot be held to one.
        public var p99LatencyMs: Double?
        public var peakQPS: Double?
    }

    /// Any threshold left out takes SPEC §5.8's default (`AutoscalingPolicy()`).
    public struct Autoscaling: Codable, Sendable {
        public var scaleOutUtilPercent: Double?
        public var scaleOutMemoryPercent: Double?
        public var scaleInUtilPercent: Double?
        public var targetUtilPercent: Double?
        public var windowSeconds: Double?
        public var cooldownSeconds: Double?
        public var maxStep: Int?
    }

    public struct Traffic: Codable, Sendable {
        public var baseQPS: Double
        public var diurnalAmplitude: Double?
        public var peakHour: Double?
        public var spikes: [TrafficSpike]?
    }

    /// The service's name: its id, unique in the reservoir.
    public var name: String
    /// Operators deploy on behalf of a tenant; members' services go to their own.
    public var tenant: String?
    public var pool: String
    /// The model served, for people (`llama-3-8b`).
    public var model: String
    public var priority: PriorityClass?
    public var request: JobSubmission.Request
    public var replicas: Replicas
    public var sla: SLA
    /// Requests per second one replica serves at full GPU utilization; default: SLA peak ÷ max replicas.
    public var capacityQPS: Double?
    public var autoscaling: Autoscaling?
    /// Simulated traffic (demos and the simulated engine).
    public var traffic: Traffic?

    /// The policy asked for, defaults filled in.
    var policy: AutoscalingPolicy {
        let d = AutoscalingPolicy()
        let a = autoscaling
        return AutoscalingPolicy(
            scaleOutUtilPercent: a?.scaleOutUtilPercent ?? d.scaleOutUtilPercent, scaleOutMemoryPercent: a?.scaleOutMemoryPercent ?? d.scaleOutMemoryPercent,
            scaleInUtilPercent: a?.scaleInUtilPercent ?? d.scaleInUtilPercent, targetUtilPercent: a?.targetUtilPercent ?? d.targetUtilPercent,
            windowSeconds: a?.windowSeconds ?? d.windowSeconds, cooldownSeconds: a?.cooldownSeconds ?? d.cooldownSeconds, maxStep: a?.maxStep ?? d.maxStep)
    }

    /// The SLA; one without a latency target or a peak is refused, naming the missing field.
    func checkedSLA() throws(ReservoirError) -> ServiceSLA {
        guard let p99 = sla.p99LatencyMs else { throw .invalid("sla.p99LatencyMs", "is required: an SLA needs a p99 latency target (milliseconds)") }
        guard let peak = sla.peakQPS else { throw .invalid("sla.peakQPS", "is required: an SLA needs the peak requests per second") }
        return ServiceSLA(p99LatencyMs: p99, peakQPS: peak)
    }

    var trafficProfile: TrafficProfile? {
        traffic.map { TrafficProfile(baseQPS: $0.baseQPS, diurnalAmplitude: $0.diurnalAmplitude ?? 0, peakHour: $0.peakHour ?? 20, spikes: $0.spikes ?? []) }
    }

    /// Ids, names and collections checked before anything is looked up.
    func checkLimits() throws(ReservoirError) {
        try InputLimits.identifier(name, field: "name")
        if let tenant { try InputLimits.identifier(tenant, field: "tenant") }
        try InputLimits.identifier(pool, field: "pool")
        try InputLimits.name(model, field: "model")
        try request.checkLimits()
    }
}

/// A manual scaling (`POST /v1/services/{id}/scale`): the replica count and why.
public struct ServiceScaling: Codable, Sendable {
    public var replicas: Int
    public var reason: String
}

/// An operator's note closing a capacity request.
public struct CapacityRequestClosing: Codable, Sendable {
    public var note: String
}
