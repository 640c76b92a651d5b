import ReservoirCore

/// Predicts a job's runtime from the runtimes of finished jobs like it (SPEC §4, "per job, predicted
/// GPU memory and runtime from its history"): the same tenant and job name first, then the tenant,
/// then the pool — the first level with at least `minimumSamples` finished jobs answers. The answer is
/// a high percentile (p90 by default) of that level's runtimes: backfill lets a job run ahead of a
/// reservation only if it ends in time, so an estimate that is too short delays the reserved job,
/// while one that is too long only misses a chance; a mean is too short half the time.
public struct RuntimePredictor: Sendable {
    /// Which history answered.
    public enum Basis: String, Codable, Hashable, Sendable, CaseIterable {
        /// Finished jobs of the same tenant with the same name.
        case name
        case tenant
        case pool
    }

    /// A prediction and what it rests on.
    public struct Prediction: Codable, Hashable, Sendable {
        public var runtimeSeconds: Double
        public var basis: Basis
        /// Finished jobs at that level.
        public var samples: Int
        /// The most recent of them (at most `recentKept`), newest first: where peak memory is read.
        public var recentJobs: [JobID]
    }

    public var percentile: Double
    public var minimumSamples: Int
    /// Jobs kept per level for the peak-memory lookup.
    public static let recentKept = 20

    private struct Level {
        /// Runtimes, ascending.
        var sorted: [Double] = []
        /// Job ids, oldest first.
        var jobs: [JobID] = []

        mutating func add(_ runtime: Double, _ job: JobID) {
            var low = 0, high = sorted.count
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] <= runtime { low = mid + 1 } else { high = mid }
            }
            sorted.insert(runtime, at: low)
            jobs.append(job)
        }
    }

    private struct NameKey: Hashable {
        var tenant: TenantID
        var name: String
    }

    private var byName: [NameKey: Level] = [:]
    private var byTenant: [TenantID: Level] = [:]
    private var byPool: [PoolID: Level] = [:]

    public init(percentile: Double = 0.9, minimumSamples: Int = 3) {
        self.percentile = min(1, max(0, percentile))
        self.minimumSamples = max(1, minimumSamples)
    }

    /// A predictor that learned from `history` (finished jobs; those without a recorded runtime are skipped).
    public init(history: [Job], percentile: Double = 0.9, minimumSamples: Int = 3) {
        self.init(percentile: percentile, minimumSamples: minimumSamples)
        for job in history.sorted(by: { ($0.finishedAt ?? 0, $0.id) < ($1.finishedAt ?? 0, $1.id) }) { learn(job) }
    }

    /// Adds one finished job to the history.
    public mutating func learn(_ job: Job) {
        guard job.state.isFinal, let runtime = job.recordedRuntime else { return }
        byName[NameKey(tenant: job.tenant, name: job.name), default: Level()].add(runtime, job.id)
        byTenant[job.tenant, default: Level()].add(runtime, job.id)
        if let pool = job.pool { byPool[pool, default: Level()].add(runtime, job.id) }
    }

    /// The prediction for `job`, or nil when no level has enough history.
    public func predict(_ job: Job) -> Prediction? {
        let levels: [(Basis, Level?)] = [
            (.name, byName[NameKey(tenant: job.tenant, name: job.name)]), (.tenant, byTenant[job.tenant]),
            (.pool, job.pool.flatMap { byPool[$0] }),
        ]
        for (basis, level) in levels {
            guard let level, level.sorted.count >= minimumSamples else { continue }
            // Nearest rank: the smallest runtime at or above the percentile.
            let rank = max(1, Int((percentile * Double(level.sorted.count)).rounded(.up)))
            return Prediction(
                runtimeSeconds: level.sorted[min(rank, level.sorted.count) - 1], basis: basis, samples: level.sorted.count,
                recentJobs: Array(level.jobs.suffix(Self.recentKept).reversed()))
        }
        return nil
    }
}
