import ReservoirCore

/// A service as `GET /v1/services/{id}` shows it: what it is, its replicas now, its load and
/// latency, and its last adjustment.
public struct ServiceView: Codable, Hashable, Sendable {
    public var service: InferenceService
    public var replicas: ReplicaStatus
    public var load: ServiceLoadView
    public var lastAdjustment: ServiceAdjustment?
}

/// How many replicas a service wants and has.
public struct ReplicaStatus: Codable, Hashable, Sendable {
    public var desired: Int
    /// Replicas on devices (admitted or running).
    public var running: Int
    /// Replicas waiting for the scheduler (queued or preempted).
    public var pending: Int
    /// The replica jobs not finished, oldest first.
    public var jobs: [JobID]
}

/// A service's traffic, utilization and latency at one instant. Utilization is measured (the
/// replicas' telemetry of the last minutes) when there is any, else estimated from the simulated
/// traffic; the p99 latency is always an estimate (`ServiceLoad`, an M/M/1 model per replica).
public struct ServiceLoadView: Codable, Hashable, Sendable {
    public var at: Double
    /// Requests per second offered now (simulated traffic); nil for a service without a profile.
    public var qps: Double?
    public var gpuUtilPercent: Double?
    public var memoryPercent: Double?
    /// Whether `gpuUtilPercent` was measured (telemetry) rather than estimated from traffic.
    public var measured: Bool
    /// The p99 latency estimate, milliseconds; nil without running replicas or a utilization.
    public var p99LatencyMsEstimate: Double?
    /// Whether the estimate is within the SLA's target.
    public var withinSLA: Bool?
}

/// What one autoscaler pass did to one service, for logs and tests.
public struct AutoscaleOutcome: Hashable, Sendable {
    public var service: ServiceID
    public var decision: AutoscaleDecision
    /// Adjustments recorded in this pass (a scaling, a capacity request).
    public var adjustments: [ServiceAdjustment]
}
