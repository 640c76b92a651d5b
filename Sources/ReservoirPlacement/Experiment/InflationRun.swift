/// One run of the openb workload-inflation experiment: one policy, one seed. Every pod of the
/// arrival stream is placed once, in order, and never leaves; a pod that fits nowhere is dropped.
public struct InflationRun: Sendable {
    public struct Result: Sendable {
        public var policy: String
        public var seed: UInt64
        public var curve: AllocationCurve
        public var placedPods: Int
        public var failedPods: Int
        /// Nanoseconds per decision, in arrival order; empty when no clock was given.
        public var latencies: [UInt64]

        public init(policy: String, seed: UInt64, curve: AllocationCurve, placedPods: Int, failedPods: Int, latencies: [UInt64]) {
            self.policy = policy
            self.seed = seed
            self.curve = curve
            self.placedPods = placedPods
            self.failedPods = failedPods
            self.latencies = latencies
        }
    }

    public let workload: OpenbWorkload

    public init(workload: OpenbWorkload) { self.workload = workload }

    /// Runs `policy` on the arrival stream of `seed`.
    /// - Parameter clock: a monotonic nanosecond clock to time each decision; the placement core
    ///   reads no clock itself.
    public func run(policy: String, seed: UInt64, clock: (() -> UInt64)? = nil) -> Result? {
        let (pods, order) = workload.arrivals(seed: seed)
        guard var placer = Placer(policy: policy, workload: workload.typical, seed: seed) else { return nil }
        var state = ClusterState(nodes: order.map { workload.nodes[$0] })
        var curve = AllocationCurve(totalGPUMilli: workload.totalGPUMilli)
        var latencies: [UInt64] = []
        if clock != nil { latencies.reserveCapacity(pods.count) }
        var arrived = 0
        var allocated = 0
        var placed = 0
        for pod in pods {
            let start = clock?() ?? 0
            let outcome = placer.place(pod, in: state)
            if let clock { latencies.append(clock() - start) }
            arrived += pod.totalGPUMilli
            if case .placed(let placement) = outcome {
                state.apply(placement, for: pod)
                allocated += pod.totalGPUMilli
                placed += 1
            }
            curve.record(arrivedMilli: arrived, allocatedMilli: allocated)
        }
        return Result(policy: policy, seed: seed, curve: curve, placedPods: placed, failedPods: pods.count - placed,
                      latencies: latencies)
    }
}
