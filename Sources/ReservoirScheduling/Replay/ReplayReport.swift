import ReservoirCore

/// What a trace replay measured. Encodes to the JSON keys of `reservoir bench replay --json`.
public struct ReplayReport: Codable, Hashable, Sendable {
    public struct Percentiles: Codable, Hashable, Sendable {
        public var p50: Double
        public var p95: Double
        public var p99: Double
    }

    /// Allocated ÷ total GPU milli, time-weighted from the first to the last arrival.
    public var gpuAllocationMean: Double
    public var gpuAllocationP95: Double
    public var jobs: Int
    public var completed: Int
    /// Jobs that never started (still waiting when nothing else could happen).
    public var neverStarted: Int
    public var preemptions: Int
    public var lostGPUHours: Double
    /// Longest wait from arrival to first start; jobs that never started count until the replay's end.
    public var maxWaitSeconds: Double
    /// Jain's index over tenants of (share of GPU-time received) ÷ (share of weight); 1 is perfectly fair.
    public var jainFairness: Double
    /// Class (`P0`…`P3`) → wait from arrival to first start.
    public var waitSeconds: [String: Percentiles]
    public var cycles: Int
    public var virtualSeconds: Double

    enum CodingKeys: String, CodingKey {
        case gpuAllocationMean = "gpu_allocation_mean", gpuAllocationP95 = "gpu_allocation_p95", jobs, completed
        case neverStarted = "never_started", preemptions, lostGPUHours = "lost_gpu_hours", maxWaitSeconds = "max_wait_s"
        case jainFairness = "jain_fairness", waitSeconds = "wait_s", cycles, virtualSeconds = "virtual_s"
    }
}

/// Collects the replay's measurements as events happen.
struct ReplayRecorder {
    let totalGPUMilli: Double
    let weights: [TenantID: Double]
    let window: ClosedRange<Double>
    let jobCount: Int
    var cycles = 0
    var preemptions = 0
    private var lostGPUSeconds = 0.0
    private var completedCount = 0
    private var firstStart: [JobID: Double] = [:]
    private var waits: [PriorityClass: [Double]] = [:]
    private var arrivals: [JobID: Double] = [:]
    private var gpuSeconds: [TenantID: Double] = [:]
    private var samples: [(value: Double, duration: Double)] = []
    private var last: (time: Double, allocated: Double)?

    init(workload: ReplayWorkload) {
        totalGPUMilli = Double(workload.nodes.reduce(0) { $0 + $1.gpuCount * 1000 })
        var w: [TenantID: Double] = [:]
        for t in workload.tenants { w[t.id] = t.weight }
        weights = w
        let times = workload.jobs.map(\.submittedAt)
        window = (times.min() ?? 0)...(times.max() ?? 0)
        jobCount = workload.jobs.count
        for j in workload.jobs { arrivals[j.id] = j.submittedAt }
    }

    mutating func started(_ job: Job, at t: Double) {
        guard firstStart[job.id] == nil else { return }
        firstStart[job.id] = t
        waits[job.priority, default: []].append(t - job.submittedAt)
    }

    mutating func completed() { completedCount += 1 }

    mutating func lost(gpuSeconds: Double) { lostGPUSeconds += gpuSeconds }

    /// Integrates allocation (and per-tenant GPU-time) over the interval since the previous sample.
    mutating func sample<S: Sequence<Job>>(at t: Double, active: S) {
        var allocated = 0.0
        var byTenant: [TenantID: Double] = [:]
        for job in active {
            let milli = Double(job.placements.reduce(0) { $0 + $1.gpuMilli * $1.deviceIndices.count })
            allocated += milli
            byTenant[job.tenant, default: 0] += milli
        }
        if let last, t > last.time {
            let lo = max(last.time, window.lowerBound), hi = min(t, window.upperBound)
            if hi > lo { samples.append((last.allocated / max(totalGPUMilli, 1), hi - lo)) }
        }
        if let last { for (tenant, share) in lastByTenant { gpuSeconds[tenant, default: 0] += share * (t - last.time) / 1000 } }
        last = (t, allocated)
        lastByTenant = byTenant
    }
    private var lastByTenant: [TenantID: Double] = [:]

    func report(pending: [JobID: Job], end: Double) -> ReplayReport {
        var maxWait = waits.values.flatMap { $0 }.max() ?? 0
        for job in pending.values where firstStart[job.id] == nil { maxWait = max(maxWait, end - job.submittedAt) }
        let total = samples.reduce(0) { $0 + $1.duration }
        let mean = total > 0 ? samples.reduce(0) { $0 + $1.value * $1.duration } / total : 0
        var waitSeconds: [String: ReplayReport.Percentiles] = [:]
        for (cls, values) in waits {
            let sorted = values.sorted()
            waitSeconds[cls.rawValue] = .init(p50: Self.quantile(sorted, 0.5), p95: Self.quantile(sorted, 0.95), p99: Self.quantile(sorted, 0.99))
        }
        return ReplayReport(
            gpuAllocationMean: mean, gpuAllocationP95: Self.weightedQuantile(samples, 0.95), jobs: jobCount,
            completed: completedCount, neverStarted: jobCount - firstStart.count, preemptions: preemptions,
            lostGPUHours: lostGPUSeconds / 3_600, maxWaitSeconds: maxWait, jainFairness: jain(), waitSeconds: waitSeconds,
            cycles: cycles, virtualSeconds: end - window.lowerBound
        )
    }

    /// Jain's index of x_i = (tenant's share of all GPU-time) ÷ (tenant's share of all weight).
    private func jain() -> Double {
        let totalTime = gpuSeconds.values.reduce(0, +)
        let totalWeight = weights.values.reduce(0, +)
        guard totalTime > 0, totalWeight > 0 else { return 1 }
        let xs = weights.keys.sorted().map { (gpuSeconds[$0, default: 0] / totalTime) / (weights[$0]! / totalWeight) }
        let sum = xs.reduce(0, +), squares = xs.reduce(0) { $0 + $1 * $1 }
        return squares > 0 ? sum * sum / (Double(xs.count) * squares) : 1
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
    }

    static func weightedQuantile(_ samples: [(value: Double, duration: Double)], _ q: Double) -> Double {
        let sorted = samples.sorted { $0.value < $1.value }
        let total = sorted.reduce(0) { $0 + $1.duration }
        var acc = 0.0
        for s in sorted {
            acc += s.duration
            if acc >= q * total { return s.value }
        }
        return sorted.last?.value ?? 0
    }
}
