import Foundation
import ReservoirCore
import ReservoirScheduling
import ReservoirStore

/// The scheduler's incremental view of the jobs: every unfinished job and the newest succeeded ones
/// (the runtime predictor's history), kept current from the store's change feed (`jobsChanged`)
/// instead of reading and decoding every job each cycle. The store stays the source of truth: the
/// view is built by a full read at start and rebuilt whenever there is doubt — a failed cycle, a
/// decision the commit skipped, a reconciliation, the feed's stamps going backwards (a restored file).
///
/// Shared by every copy of the scheduling context (a class); one cycle at a time reads or changes it.
final class JobView: @unchecked Sendable {
    /// Jobs in the order a full read lists them (newest submission first), and the runtime history.
    struct Jobs: Sendable {
        var active: [Job]
        var pending: [Job]
        /// The newest `PredictionsContext.historyLimit` succeeded jobs, newest submission first.
        var succeeded: [Job]
        /// The runtime predictor and each tenant's mean runtime, learnt from `succeeded`.
        var history: History
    }

    /// What the scheduler learns from the succeeded jobs; rebuilt only when they changed.
    struct History: Sendable {
        var predictor: RuntimePredictor
        /// Each tenant's mean runtime of its succeeded jobs (a finished job's progress is its whole runtime, summed over runs).
        var meanRuntimes: [TenantID: Double]

        init(_ succeeded: [Job], _ settings: ProfileSettings) {
            var runtimes: [TenantID: (total: Double, count: Double)] = [:]
            for job in succeeded where job.progressSeconds > 0 {
                let r = runtimes[job.tenant] ?? (0, 0)
                runtimes[job.tenant] = (r.total + job.progressSeconds, r.count + 1)
            }
            meanRuntimes = runtimes.mapValues { $0.total / $0.count }
            predictor = RuntimePredictor(history: succeeded, percentile: settings.predictionPercentile, minimumSamples: settings.predictionMinimumSamples)
        }
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
    private var succeeded: [JobID: Entry] = [:]
    /// Built from `succeeded`; nil once it changed.
    private var history: (succeeded: [Job], learnt: History)?
    /// `open` as sorted lists; nil once it changed (readers between two changes share one sort).
    private var listed: (active: [Job], pending: [Job])?
    /// Full reads so far (the first build included): what a test counts to see the feed is used.
    private(set) var rebuilds = 0

    private struct Entry {
        var seq: Int
        var job: Job
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

    /// Compares the view, caught up, with a full read of the store; on a difference the view is rebuilt
    /// and `Drift` thrown. A write committed during the full read makes the comparison meaningless: it
    /// is then tried again (a few times, then given up without a verdict).
    func verify(_ store: any JobReader) throws {
        try lock.withLock {
            for _ in 0..<5 {
                try catchUp(store)
                let active = try store.jobs(tenant: nil, states: [.admitted, .running], limit: 1_000_000)
                let pending = try store.jobs(tenant: nil, states: [.queued, .preempted], limit: 1_000_000)
                let newest = try store.jobs(tenant: nil, states: [.succeeded], limit: PredictionsContext.historyLimit)
                guard try store.jobChangeSeq() == through else { continue }
                let (viewActive, viewPending) = lists()
                let differs = [("active", viewActive, active), ("pending", viewPending, pending), ("succeeded", newestSucceeded(), newest)]
                    .filter { $0.1 != $0.2 }
                guard let (what, view, stored) = differs.first else { return }
                built = false
                let viewIDs = Set(view.map(\.id)), storeIDs = Set(stored.map(\.id))
                let drift = Drift(detail: "\(what): view \(view.count) jobs, store \(stored.count); only in the view \(viewIDs.subtracting(storeIDs).map(\.rawValue).sorted().prefix(5)), only in the store \(storeIDs.subtracting(viewIDs).map(\.rawValue).sorted().prefix(5)), changed \(Set(view).subtracting(stored).map(\.id.rawValue).sorted().prefix(5))")
                // Only tests verify: a drift is a defect of the feed or the view, loud even where the loop only logs it.
                assertionFailure(drift.description)
                throw drift
            }
        }
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
        succeeded = Dictionary(newest.map { ($0.id, Entry(seq: Self.seq($0.id), job: $0)) }, uniquingKeysWith: { a, _ in a })
        history = nil
        listed = nil
        through = stamp
        built = true
        rebuilds += 1
    }

    private func apply(_ job: Job) {
        listed = nil
        let entry = Entry(seq: Self.seq(job.id), job: job)
        if job.state.isFinal {
            open[job.id] = nil
        } else {
            open[job.id] = entry
        }
        // A job leaves the history only by being pushed out by newer ones (a succeeded job stays succeeded).
        guard job.state == .succeeded || succeeded[job.id] != nil else { return }
        if job.state == .succeeded {
            succeeded[job.id] = entry
        } else {
            succeeded[job.id] = nil
        }
        if succeeded.count > PredictionsContext.historyLimit, let oldest = succeeded.values.min(by: { $0.seq < $1.seq }) {
            succeeded[oldest.job.id] = nil
        }
        history = nil
    }

    private func jobs(_ settings: ProfileSettings) -> Jobs {
        let (active, pending) = lists()
        let learnt = history ?? {
            let newest = newestSucceeded()
            return (newest, History(newest, settings))
        }()
        history = learnt
        return Jobs(active: active, pending: pending, succeeded: learnt.succeeded, history: learnt.learnt)
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

    private func newestSucceeded() -> [Job] {
        history?.succeeded ?? succeeded.values.sorted { $0.seq > $1.seq }.map(\.job)
    }

    /// The submission number in a job id (`job-000042` → 42): the order a full read lists jobs in.
    static func seq(_ id: JobID) -> Int {
        Int(id.rawValue.drop { !$0.isNumber }) ?? 0
    }
}
