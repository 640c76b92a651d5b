import ReservoirCore

/// Predicts a job's runtime from the runtimes of finished jobs like it (SPEC §4, "per job, predicted
/// GPU memory and runtime from its history"): the same tenant and job name first, then the tenant,
/// then the pool — the first level with at least `minimumSamples` finished jobs answers. The answer is
/// a high percentile (p90 by default) of that level's runtimes: backfill lets a job run ahead of a
/// reservation only if it ends in time, so an estimate that is too short delays the reserved job,
/// while one that is too long only misses a chance; a mean is too short half the time.
public struct RuntimePredictor: Equatable, Sendable {
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

    /// What the predictor reads of a finished job: a long-lived history keeps these instead of whole jobs.
    public struct Sample: Hashable, Sendable {
        public var job: JobID
        public var tenant: TenantID
        public var name: String
        public var pool: PoolID?
        /// Orders a level's jobs (0 when unknown).
        public var finishedAt: Double
        /// The job's recorded runtime when it is final; nil: nothing to learn.
        public var runtime: Double?

        public init(_ job: Job) {
            self.job = job.id
            tenant = job.tenant
            name = job.name
            pool = job.pool
            finishedAt = job.finishedAt ?? 0
            runtime = job.state.isFinal ? job.recordedRuntime : nil
        }
    }

    private struct Level: Equatable {
        /// Runtimes, ascending.
        var sorted: [Double] = []
        /// Job ids, oldest first (by finish time, then id), and their finish times.
        var jobs: [JobID] = []
        var finished: [Double] = []

        mutating func add(_ runtime: Double, _ sample: Sample) {
            var low = 0, high = sorted.count
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] <= runtime { low = mid + 1 } else { high = mid }
            }
            sorted.insert(runtime, at: low)
            let at = position(sample)
            jobs.insert(sample.job, at: at)
            finished.insert(sample.finishedAt, at: at)
        }

        /// Removes what `add` added; false when it is not there.
        mutating func remove(_ runtime: Double, _ sample: Sample) -> Bool {
            var at = position(sample)
            // `position` is past every key ≤ the sample's: the sample itself, if here, is just before.
            at -= 1
            var low = 0, high = sorted.count
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] < runtime { low = mid + 1 } else { high = mid }
            }
            guard at >= 0, jobs[at] == sample.job, low < sorted.count, sorted[low] == runtime else { return false }
            let r = low
            jobs.remove(at: at)
            finished.remove(at: at)
            sorted.remove(at: r)
            return true
        }

        /// The index after every job ordered at or before `sample` (finish time, then id).
        private func position(_ sample: Sample) -> Int {
            var low = 0, high = jobs.count
            while low < high {
                let mid = (low + high) / 2
                if (finished[mid], jobs[mid]) <= (sample.finishedAt, sample.job) { low = mid + 1 } else { high = mid }
            }
            return low
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
        self.init(samples: history.map(Sample.init), percentile: percentile, minimumSamples: minimumSamples)
    }

    /// The same from samples: what `learn` of each, in any order, also gives.
    public init(samples: [Sample], percentile: Double = 0.9, minimumSamples: Int = 3) {
        self.init(percentile: percentile, minimumSamples: minimumSamples)
        for sample in samples.sorted(by: { ($0.finishedAt, $0.job) < ($1.finishedAt, $1.job) }) { learn(sample) }
    }

    /// Adds one finished job to the history.
    public mutating func learn(_ job: Job) { learn(Sample(job)) }

    /// Adds one finished job's sample; a levels' order does not depend on the order samples arrive in.
    public mutating func learn(_ sample: Sample) {
        guard let runtime = sample.runtime else { return }
        byName[NameKey(tenant: sample.tenant, name: sample.name), default: Level()].add(runtime, sample)
        byTenant[sample.tenant, default: Level()].add(runtime, sample)
        if let pool = sample.pool { byPool[pool, default: Level()].add(runtime, sample) }
    }

    /// Takes back a sample `learn` added (a job pushed out of a bounded history): the predictor is then
    /// the one that never learnt it, so a history kept current sample by sample predicts as one rebuilt.
    public mutating func forget(_ sample: Sample) {
        guard let runtime = sample.runtime else { return }
        Self.remove(runtime, sample, at: NameKey(tenant: sample.tenant, name: sample.name), from: &byName)
        Self.remove(runtime, sample, at: sample.tenant, from: &byTenant)
        if let pool = sample.pool { Self.remove(runtime, sample, at: pool, from: &byPool) }
    }

    private static func remove<Key: Hashable>(_ runtime: Double, _ sample: Sample, at key: Key, from levels: inout [Key: Level]) {
        guard var level = levels[key], level.remove(runtime, sample) else { return }
        levels[key] = level.sorted.isEmpty ? nil : level
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
