/// Limits of inference services' numbers (beside `Bounds`, so services keep to their own file).
extension Bounds {
    /// Replicas of a service, minimum and maximum.
    public static let serviceReplicas: ClosedRange<Int> = 1...10_000
    /// Requests per second (SLA peak, replica capacity, simulated traffic).
    public static let serviceQPS: ClosedRange<Double> = 0...10_000_000
    /// A latency target, milliseconds (at most an hour).
    public static let latencyMs: ClosedRange<Double> = 0...3_600_000
    /// A utilization or memory threshold, percent.
    public static let percent: ClosedRange<Double> = 0...100
    /// How long utilization must stay past a threshold: one minute (the sampling step) to a day.
    public static let autoscalingWindowSeconds: ClosedRange<Double> = 60...86_400
    public static let autoscalingCooldownSeconds: ClosedRange<Double> = 0...86_400
}
