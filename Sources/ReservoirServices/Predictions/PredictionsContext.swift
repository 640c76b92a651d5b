import ReservoirCore
import ReservoirScheduling
import ReservoirStore

/// What a job is predicted to need (SPEC §4): its runtime from the history of finished jobs like it
/// (`RuntimePredictor`: same tenant and name, then tenant, then pool) and its peak GPU memory from
/// the telemetry of those jobs. Backfill plans with the runtime of jobs that declare none; `explain`
/// shows both; `accuracy` says how wrong the runtimes were on the recorded history.
public struct PredictionsContext: ApplicationContext {
    public typealias Store = JobReader & InventoryReader & TelemetryReader
    let store: any Store
    public let runtime: Runtime
    /// The jobs' view whose predictor learns from the succeeded ones, rebuilt only when one more succeeded
    /// (the scheduler's own, so both predict alike; `Reservoir` shares it).
    var jobView = JobView()

    /// Succeeded jobs the predictor learns from, newest first (failed and cancelled runs say little
    /// about how long the work takes).
    static let historyLimit = 10_000

    /// The prediction for `job` (no access check: the caller has shown the job to the principal), or nil
    /// when no level of history has enough finished jobs.
    func prediction(for job: Job) throws -> JobPrediction? {
        guard let p = try jobView.current(store, configuration.profiles).history.predictor.predict(job) else { return nil }
        return JobPrediction(
            runtimeSeconds: p.runtimeSeconds, basis: p.basis, samples: p.samples,
            peakGPUMemoryMiB: try peakMemory(of: p.recentJobs), percentile: configuration.profiles.predictionPercentile)
    }

    /// The same percentile of the peak GPU memory per device each of `jobs` reached, from their
    /// telemetry (job scope, hourly); nil when none of them was recorded.
    private func peakMemory(of jobs: [JobID]) throws -> Int? {
        let memoryByDevice = Dictionary(try store.inventory().nodes.flatMap(\.devices).map { ($0.id, $0.memoryMiB) }, uniquingKeysWith: { a, _ in a })
        var peaks: [Double] = []
        for id in jobs {
            guard let job = try store.job(id), let start = job.startedAt, let end = job.finishedAt,
                  let first = job.placements.first, let index = first.deviceIndices.first,
                  let memory = memoryByDevice[Device.id(node: first.node, index: index)], memory > 0 else { continue }
            let points = try store.utilization(UtilizationQuery(scope: .job(id), since: start, until: end + 1, resolution: .hour))
            if let peak = points.map(\.memoryFractionMax).max() { peaks.append(peak * Double(memory)) }
        }
        guard !peaks.isEmpty else { return nil }
        peaks.sort()
        let rank = max(1, Int((configuration.profiles.predictionPercentile * Double(peaks.count)).rounded(.up)))
        return Int(peaks[min(rank, peaks.count) - 1].rounded(.up))
    }

    /// How good the runtime predictions were on the history of succeeded jobs submitted at or after
    /// `since` (each predicted from the jobs finished before it was submitted), beside the tenant mean.
    public func accuracy(since: Double?, by principal: Principal) throws -> PredictionAccuracy {
        try access.require(principal, .readPlans, tenant: nil)
        let history = try store.jobs(tenant: nil, states: [.succeeded], limit: 100_000)
        let settings = configuration.profiles
        return PredictionAccuracy.measure(
            history, since: since ?? -.infinity, percentile: settings.predictionPercentile, minimumSamples: settings.predictionMinimumSamples)
    }
}

/// A job's predicted runtime and peak GPU memory, as `explain` shows them.
public struct JobPrediction: Codable, Hashable, Sendable {
    public var runtimeSeconds: Double
    /// Which history answered: `name` (same tenant and name), `tenant` or `pool`.
    public var basis: RuntimePredictor.Basis
    /// Finished jobs at that level.
    public var samples: Int
    /// Per device, from the telemetry of the most recent of those jobs; nil when none was recorded.
    public var peakGPUMemoryMiB: Int?
    public var percentile: Double

    /// "predicted runtime 2.2 h (p90 of 12 finished jobs with its name), peak GPU memory 31 GiB per device".
    public var sentence: String {
        let level = switch basis {
        case .name: "with its name"
        case .tenant: "of its tenant"
        case .pool: "of its pool"
        }
        var text = "predicted runtime \(HumanDuration.text(seconds: runtimeSeconds)) (p\(Int((percentile * 100).rounded())) of \(samples) finished jobs \(level))"
        if let peakGPUMemoryMiB { text += ", peak GPU memory \(peakGPUMemoryMiB / 1024) GiB per device" }
        return text
    }
}
