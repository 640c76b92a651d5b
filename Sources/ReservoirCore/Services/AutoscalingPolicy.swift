/// When a service scales itself (SPEC §5.8 defaults): out when the replicas' mean GPU utilization
/// stays above 80 % for the window (5 minutes) or their GPU memory passes 90 %; in when utilization
/// stays below 30 % for the window; never within the cool-down of the last adjustment. How far it
/// moves is set by `targetUtilPercent`: to the count at which the measured load would run at the
/// target, at most `maxStep` replicas at a time.
public struct AutoscalingPolicy: Codable, Hashable, Sendable {
    public var scaleOutUtilPercent: Double
    public var scaleOutMemoryPercent: Double
    public var scaleInUtilPercent: Double
    /// The utilization a scaled service should run at; between the two thresholds, so a scale-out
    /// cannot be followed by a scale-in of the same load (hysteresis).
    public var targetUtilPercent: Double
    /// How long utilization must stay past a threshold, seconds.
    public var windowSeconds: Double
    /// Seconds after any adjustment during which the autoscaler holds.
    public var cooldownSeconds: Double
    /// The most replicas one automatic adjustment adds or removes.
    public var maxStep: Int

    public init(
        scaleOutUtilPercent: Double = 80, scaleOutMemoryPercent: Double = 90, scaleInUtilPercent: Double = 30,
        targetUtilPercent: Double = 60, windowSeconds: Double = 300, cooldownSeconds: Double = 300, maxStep: Int = 4
    ) {
        self.scaleOutUtilPercent = scaleOutUtilPercent
        self.scaleOutMemoryPercent = scaleOutMemoryPercent
        self.scaleInUtilPercent = scaleInUtilPercent
        self.targetUtilPercent = targetUtilPercent
        self.windowSeconds = windowSeconds
        self.cooldownSeconds = cooldownSeconds
        self.maxStep = maxStep
    }

    /// Rejects thresholds out of range or out of order, naming the field as the submission spells it.
    public func validate() throws(ReservoirError) {
        let at = "autoscaling"
        try Bounds.check(scaleOutUtilPercent, "\(at).scaleOutUtilPercent", in: Bounds.percent)
        try Bounds.check(scaleOutMemoryPercent, "\(at).scaleOutMemoryPercent", in: Bounds.percent)
        try Bounds.check(scaleInUtilPercent, "\(at).scaleInUtilPercent", in: Bounds.percent)
        try Bounds.check(targetUtilPercent, "\(at).targetUtilPercent", in: Bounds.percent)
        guard scaleOutMemoryPercent > 0 else { throw .invalid("\(at).scaleOutMemoryPercent", "must be more than 0") }
        guard scaleInUtilPercent < targetUtilPercent else {
            throw .invalid("\(at).scaleInUtilPercent", "must be below targetUtilPercent (\(Bounds.text(targetUtilPercent)))")
        }
        guard targetUtilPercent < scaleOutUtilPercent else {
            throw .invalid("\(at).scaleOutUtilPercent", "must be above targetUtilPercent (\(Bounds.text(targetUtilPercent)))")
        }
        try Bounds.check(windowSeconds, "\(at).windowSeconds", in: Bounds.autoscalingWindowSeconds, unit: "seconds")
        try Bounds.check(cooldownSeconds, "\(at).cooldownSeconds", in: Bounds.autoscalingCooldownSeconds, unit: "seconds")
        try Bounds.check(maxStep, "\(at).maxStep", in: Bounds.serviceReplicas)
    }
}
