import ReservoirCore

/// How good runtime predictions were on recorded history: each finished job predicted from only the
/// jobs that had finished when it was submitted (what the scheduler knew then), against what it ran.
/// The tenant's mean runtime (the estimate backfill used before) is scored the same way beside it.
public struct PredictionAccuracy: Codable, Hashable, Sendable {
    /// Errors of one estimator.
    public struct Errors: Codable, Hashable, Sendable {
        /// Jobs it gave an estimate for.
        public var predicted: Int
        /// Mean absolute error, seconds.
        public var maeSeconds: Double
        /// Share of the estimates shorter than the runtime (0…1): each could have delayed a reservation.
        public var tooShortShare: Double

        public init(predicted: Int, maeSeconds: Double, tooShortShare: Double) {
            self.predicted = predicted
            self.maeSeconds = maeSeconds
            self.tooShortShare = tooShortShare
        }
    }

    /// Finished jobs with a recorded runtime in the range.
    public var jobs: Int
    /// The percentile predictor (name → tenant → pool).
    public var prediction: Errors
    /// Its errors per level that answered (`name`, `tenant`, `pool`).
    public var byBasis: [String: Errors]
    /// The tenant's mean runtime so far: the former estimate.
    public var tenantMean: Errors
    public var percentile: Double

    /// Scores the predictor on `history` (finished jobs, any order); only jobs submitted at or after
    /// `since` are scored, all earlier ones only teach.
    public static func measure(_ history: [Job], since: Double = -.infinity, percentile: Double = 0.9, minimumSamples: Int = 3) -> PredictionAccuracy {
        let finished = history.filter { $0.state.isFinal && $0.recordedRuntime != nil }
            .sorted { ($0.finishedAt ?? 0, $0.id) < ($1.finishedAt ?? 0, $1.id) }
        let targets = finished.filter { $0.submittedAt >= since }.sorted { ($0.submittedAt, $0.id) < ($1.submittedAt, $1.id) }
        var predictor = RuntimePredictor(percentile: percentile, minimumSamples: minimumSamples)
        var means: [TenantID: (total: Double, count: Double)] = [:]
        var learned = 0
        var all = Tally(), mean = Tally()
        var basis: [RuntimePredictor.Basis: Tally] = [:]
        for job in targets {
            while learned < finished.count, (finished[learned].finishedAt ?? 0) <= job.submittedAt {
                let done = finished[learned]
                predictor.learn(done)
                let m = means[done.tenant] ?? (0, 0)
                means[done.tenant] = (m.total + done.recordedRuntime!, m.count + 1)
                learned += 1
            }
            let actual = job.recordedRuntime!
            if let p = predictor.predict(job) {
                all.add(p.runtimeSeconds, actual)
                basis[p.basis, default: Tally()].add(p.runtimeSeconds, actual)
            }
            if let m = means[job.tenant] { mean.add(m.total / m.count, actual) }
        }
        return PredictionAccuracy(
            jobs: targets.count, prediction: all.errors,
            byBasis: Dictionary(uniqueKeysWithValues: basis.map { ($0.key.rawValue, $0.value.errors) }),
            tenantMean: mean.errors, percentile: percentile)
    }

    private struct Tally {
        var count = 0
        var absolute = 0.0
        var short = 0

        mutating func add(_ estimate: Double, _ actual: Double) {
            count += 1
            absolute += abs(estimate - actual)
            if estimate < actual { short += 1 }
        }

        var errors: Errors {
            Errors(predicted: count, maeSeconds: count == 0 ? 0 : absolute / Double(count), tooShortShare: count == 0 ? 0 : Double(short) / Double(count))
        }
    }
}
