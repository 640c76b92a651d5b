import Foundation
import ReservoirCore
import ReservoirScheduling
import ReservoirStore

/// The scheduler's incremental view of the jobs: every unfinished job and what the runtime predictor
/// learns from the newest succeeded ones, kept current from the store's change feed (`jobsChanged`)
/// instead of reading and decoding every job each cycle. The store stays the source of truth: the
/// view is built by a full read at start and rebuilt whenever there is doubt — a failed cycle, a
/// decision the commit skipped, a reconciliation, the feed's stamps going backwards (a restored file).
///
/// The history is kept as the predictor's samples, learnt and forgotten one job at a time: rebuilding
/// the predictor from 10,000 whole jobs whenever one more succeeded made each cycle's cost, and the
/// memory held, grow with the job table.
///
/// Shared by every copy of the scheduling context (a class); one cycle at a time reads or changes it.
final class JobView: @unchecked Sendable {
    /// Jobs in the order a full read lists them (newest submission first), and the runtime history.
    struct Jobs: Sendable {
        var active: [Job]
        var pending: [Job]
        /// The runtime predictor and each tenant's mean runtime, learnt from the newest
        /// `PredictionsContext.historyLimit` succeeded jobs.
        var history: History
    }

    /// What the scheduler learns from the succeeded jobs.
    struct History: Equatable, Sendable {
        var predictor: RuntimePredictor
        /// Each tenant's mean runtime of its succeeded jobs (a finished job's progress is its whole runtime, summed over runs).
        var meanRuntimes: [TenantID: Double]
    }

    /// The view and a full read disagreed (`verify`): the view is rebuilt and the cycle fails.
    struct Drift: Error, CustomStringConvertible {
        var detail: String
        var description: String { "the scheduler's job view drifted from the store: \(detail)" }
    }

    /// Jobs read from the feed per store call while catching up.
    static let feedPage = 5_000

    private let lock = NSLock()
    private var built = false
    private var through: Int64 = 0
    private var open: [JobID: Entry] = [:]
    /// `open` as sorted lists; nil once it changed (readers between two changes share one sort).
    private var listed: (active: [Job], pending: [Job])?
    /// The history: the newest succeeded jobs' samples, by id, and what is learnt from them.
    private var succeeded: [JobID: Succeeded] = [:]
    private var predictor = RuntimePredictor()
    /// Per tenant, the progress of its succeeded jobs that have some, newest submission first (the order
    /// a full read adds them up in), and their mean.
    private var progress: [TenantID: [(seq: Int, seconds: Double)]] = [:]
    private var meanRuntimes: [TenantID: Double] = [:]
    /// Full reads so far (the first build included): what a test counts to see the feed is used.
    private(set) var rebuilds = 0

    private struct Entry {
        var seq: Int
        var job: Job
    }

    private struct Succeeded {
        var seq: Int
        var sample: RuntimePredictor.Sample
        var progressSeconds: Double

        init(_ job: Job) {
            seq = JobView.seq(job.id)
            sample = RuntimePredictor.Sample(job)
            progressSeconds = job.progressSeconds
        }
    }

    /// Forgets the view: the next `current` reads every job again.
    func invalidate() {
        lock.withLock { built = false }
    }

    /// The jobs now, after applying what changed since the last call (or a full read when there is none to follow).
    func current(_ store: any JobReader, _ settings: ProfileSettings) throws -> Jobs {
        try lock.withLock {
            try catchUp(store)
            return jobs(settings)
        }
    }

    /// Admitted and running jobs, then queued and preempted ones (each newest first), caught up with
    /// the feed: what a request that needs every unfinished job reads instead of decoding them all.
    func unfinished(_ store: any JobReader) throws -> (active: [Job], pending: [Job]) {
        try lock.withLock {
            try catchUp(store)
            return lists()
        }
    }

    /// Compares the view, caught up, with a full read of the store (the history with what a predictor
    /// rebuilt from the newest succeeded jobs learns); on a difference the view is rebuilt and `Drift`
    /// thrown. A write committed during the full read makes the comparison meaningless: it is then tried
    /// again (a few times, then given up without a verdict).
    func verify(_ store: any JobReader, _ settings: ProfileSettings) throws {
        try lock.withLock {
            for _ in 0..<5 {
                try catchUp(store)
                let active = try store.jobs(tenant: nil, states: [.admitted, .running], limit: 1_000_000)
                let pending = try store.jobs(tenant: nil, states: [.queued, .preempted], limit: 1_000_000)
                let newest = try store.jobs(tenant: nil, states: [.succeeded], limit: PredictionsContext.historyLimit)
                guard try store.jobChangeSeq() == through else { continue }
                let (viewActive, viewPending) = lists()
                var differs = [("active", viewActive, active), ("pending", viewPending, pending)].filter { $0.1 != $0.2 }
                    .map { (what: $0.0, view: Set($0.1.map(\.id)), stored: Set($0.2.map(\.id)), changed: Set($0.1).subtracting($0.2).map(\.id)) }
                let samples = succeeded.values.sorted { $0.seq > $1.seq }.map(\.sample)
                if samples != newest.map(RuntimePredictor.Sample.init) || history(settings) != Self.history(newest, settings) {
                    differs.append((what: "succeeded", view: Set(samples.map(\.job)), stored: Set(newest.map(\.id)), changed: []))
                }
                guard let first = differs.first else { return }
                built = false
                let drift = Drift(detail: "\(first.what): view \(first.view.count) jobs, store \(first.stored.count); only in the view \(first.view.subtracting(first.stored).map(\.rawValue).sorted().prefix(5)), only in the store \(first.stored.subtracting(first.view).map(\.rawValue).sorted().prefix(5)), changed \(first.changed.map(\.rawValue).sorted().prefix(5))")
                // Only tests verify: a drift is a defect of the feed or the view, loud even where the loop only logs it.
                assertionFailure(drift.description)
                throw drift
            }
        }
    }

    /// The succeeded jobs the history holds now (newest submission first): a test's and `verify`'s look.
    func historySamples() -> [RuntimePredictor.Sample] {
        lock.withLock { succeeded.values.sorted { $0.seq > $1.seq }.map(\.sample) }
    }

    /// Applies the feed since the last stamp (a full read first when there is none); a failure leaves
    /// the view to be read afresh.
    private func catchUp(_ store: any JobReader) throws {
        do {
            try follow(store)
        } catch {
            built = false
            throw error
        }
    }

    private func follow(_ store: any JobReader) throws {
        if !built { try rebuild(store) }
        while true {
            let (changed, next) = try store.jobsChanged(since: through, limit: Self.feedPage)
            if next < through {
                // The stamps went backwards: another database file. Nothing of the view can be trusted.
                try rebuild(store)
                return
            }
            for job in changed { apply(job) }
            through = next
            if changed.count < Self.feedPage { return }
        }
    }

    /// Reads the stamp first, then the jobs: a change committed in between is applied twice (harmless, whole jobs), never missed.
    private func rebuild(_ store: any JobReader) throws {
        let stamp = try store.jobChangeSeq()
        let unfinished = try store.jobs(tenant: nil, states: [.admitted, .running, .queued, .preempted], limit: 1_000_000)
        let newest = try store.jobs(tenant: nil, states: [.succeeded], limit: PredictionsContext.historyLimit)
        open = Dictionary(unfinished.map { ($0.id, Entry(seq: Self.seq($0.id), job: $0)) }, uniquingKeysWith: { a, _ in a })
        succeeded = Dictionary(newest.map { ($0.id, Succeeded($0)) }, uniquingKeysWith: { a, _ in a })
        predictor = RuntimePredictor(samples: succeeded.values.map(\.sample), percentile: predictor.percentile, minimumSamples: predictor.minimumSamples)
        progress = [:]
        for entry in succeeded.values.sorted(by: { $0.seq > $1.seq }) where entry.progressSeconds > 0 {
            progress[entry.sample.tenant, default: []].append((entry.seq, entry.progressSeconds))
        }
        meanRuntimes = progress.mapValues(Self.mean)
        listed = nil
        through = stamp
        built = true
        rebuilds += 1
    }

    private func apply(_ job: Job) {
        listed = nil
        if job.state.isFinal {
            open[job.id] = nil
        } else {
            open[job.id] = Entry(seq: Self.seq(job.id), job: job)
        }
        // A job leaves the history only by being pushed out by newer ones (a succeeded job stays succeeded).
        guard job.state == .succeeded || succeeded[job.id] != nil else { return }
        if let earlier = succeeded.removeValue(forKey: job.id) { forget(earlier) }
        if job.state == .succeeded {
            let entry = Succeeded(job)
            succeeded[job.id] = entry
            learn(entry)
        }
        if succeeded.count > PredictionsContext.historyLimit, let oldest = succeeded.values.min(by: { $0.seq < $1.seq }) {
            succeeded[oldest.sample.job] = nil
            forget(oldest)
        }
    }

    private func learn(_ entry: Succeeded) {
        predictor.learn(entry.sample)
        guard entry.progressSeconds > 0 else { return }
        let tenant = entry.sample.tenant
        var list = progress[tenant] ?? []
        let at = list.firstIndex { $0.seq < entry.seq } ?? list.count
        list.insert((entry.seq, entry.progressSeconds), at: at)
        progress[tenant] = list
        meanRuntimes[tenant] = Self.mean(list)
    }

    private func forget(_ entry: Succeeded) {
        predictor.forget(entry.sample)
        let tenant = entry.sample.tenant
        guard entry.progressSeconds > 0, var list = progress[tenant], let at = list.firstIndex(where: { $0.seq == entry.seq }) else { return }
        list.remove(at: at)
        progress[tenant] = list.isEmpty ? nil : list
        meanRuntimes[tenant] = list.isEmpty ? nil : Self.mean(list)
    }

    /// The mean, added up in the list's order (newest first), as a full read's pass adds them.
    private static func mean(_ list: [(seq: Int, seconds: Double)]) -> Double {
        var total = 0.0
        for item in list { total += item.seconds }
        return total / Double(list.count)
    }

    /// The history as the settings ask for it (the predictor is rebuilt only if they changed).
    private func history(_ settings: ProfileSettings) -> History {
        if predictor.percentile != min(1, max(0, settings.predictionPercentile)) || predictor.minimumSamples != max(1, settings.predictionMinimumSamples) {
            predictor = RuntimePredictor(
                samples: succeeded.values.map(\.sample), percentile: settings.predictionPercentile, minimumSamples: settings.predictionMinimumSamples)
        }
        return History(predictor: predictor, meanRuntimes: meanRuntimes)
    }

    /// What a predictor rebuilt from `newest` (newest submission first) learns: `verify`'s reference.
    private static func history(_ newest: [Job], _ settings: ProfileSettings) -> History {
        var runtimes: [TenantID: (total: Double, count: Double)] = [:]
        for job in newest where job.progressSeconds > 0 {
            let r = runtimes[job.tenant] ?? (0, 0)
            runtimes[job.tenant] = (r.total + job.progressSeconds, r.count + 1)
        }
        return History(
            predictor: RuntimePredictor(history: newest, percentile: settings.predictionPercentile, minimumSamples: settings.predictionMinimumSamples),
            meanRuntimes: runtimes.mapValues { $0.total / $0.count })
    }

    private func jobs(_ settings: ProfileSettings) -> Jobs {
        let (active, pending) = lists()
        return Jobs(active: active, pending: pending, history: history(settings))
    }

    /// Admitted and running jobs, then queued and preempted ones, each newest submission first.
    private func lists() -> (active: [Job], pending: [Job]) {
        if let listed { return listed }
        var active: [Entry] = [], pending: [Entry] = []
        for entry in open.values {
            if entry.job.state.isPending { pending.append(entry) } else { active.append(entry) }
        }
        let sorted = (active: active.sorted { $0.seq > $1.seq }.map(\.job), pending: pending.sorted { $0.seq > $1.seq }.map(\.job))
        listed = sorted
        return sorted
    }

    /// The submission number in a job id (`job-000042` → 42): the order a full read lists jobs in.
    static func seq(_ id: JobID) -> Int {
        Int(id.rawValue.drop { !$0.isNumber }) ?? 0
    }
}
