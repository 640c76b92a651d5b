import ReservoirCore
import ReservoirEngine

/// Reservoir's metered sessions against an engine's own accounting (Slurm's `sacct`) over a period:
/// per job, GPU-seconds on both sides, and every job where they disagree.
public struct UsageReconciliationReport: Codable, Sendable, Equatable {
    /// How one job's two accounts disagree.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Reservoir metered the job, the engine's accounting has no run of it.
        case missingInEngine = "missing-in-engine"
        /// The engine accounted a run of a job Reservoir has no session of.
        case missingInReservoir = "missing-in-reservoir"
        /// Both have it, with GPU-seconds further apart than the tolerance.
        case gpuSecondsDiffer = "gpu-seconds-differ"
    }

    public struct Difference: Codable, Sendable, Equatable {
        public var job: JobID
        public var tenant: TenantID?
        public var kind: Kind
        /// GPU-seconds inside the period by Reservoir's sessions (open ones up to now).
        public var reservoirGPUSeconds: Double
        /// GPU-seconds inside the period by the engine's accounted runs (running ones up to now).
        public var engineGPUSeconds: Double
        /// The engine's runs of the job (its own ids), for looking them up there.
        public var engineIDs: [String]
    }

    public var since: Double
    public var until: Double
    /// The clusters whose engine keeps accounting and was read; empty: none does (`note` says so).
    public var clusters: [String]
    /// Jobs compared (on either side).
    public var jobs: Int
    /// The allowance below which two figures agree: `toleranceSeconds` per GPU held, or `toleranceFraction`
    /// of the larger figure, whichever is more. Reservoir meters from admission, the engine from the run's
    /// start, so a few seconds per run always differ.
    public var toleranceSeconds: Double
    public var toleranceFraction: Double
    public var differences: [Difference]
    /// Why nothing could be compared, when that is so.
    public var note: String?
}

/// The comparison itself, pure: sessions and accounted runs in, differences out.
public struct UsageReconciliation: Sendable {
    public var toleranceSeconds: Double = 60
    public var toleranceFraction: Double = 0.02

    public init(toleranceSeconds: Double = 60, toleranceFraction: Double = 0.02) {
        self.toleranceSeconds = toleranceSeconds
        self.toleranceFraction = toleranceFraction
    }

    /// Compares per job inside `[since, until)`. `sessions` must be those of jobs the engines in `clusters`
    /// ran (sessions of other engines' pools would all read as missing).
    public func compare(
        sessions: [UsageSession], accounted: [EngineUsageRecord], since: Double, until: Double, now: Double, clusters: [String]
    ) -> UsageReconciliationReport {
        var ours: [JobID: (seconds: Double, gpus: Double, tenant: TenantID)] = [:]
        for s in sessions {
            let seconds = s.gpuSeconds(from: since, to: until, now: now)
            let held = Double(s.gpuMilli) / 1000
            let before = ours[s.job]
            ours[s.job] = ((before?.seconds ?? 0) + seconds, max(before?.gpus ?? 0, held), s.tenant)
        }
        var theirs: [JobID: (seconds: Double, gpus: Double, tenant: TenantID?, ids: [String])] = [:]
        for r in accounted {
            let overlap = max(0, min(r.finishedAt ?? now, until) - max(r.startedAt, since))
            let before = theirs[r.job]
            theirs[r.job] = ((before?.seconds ?? 0) + Double(r.gpus) * overlap, max(before?.gpus ?? 0, Double(r.gpus)), r.tenant ?? before?.tenant,
                             (before?.ids ?? []) + [r.engineID])
        }
        let jobs = Set(ours.keys).union(theirs.keys).sorted()
        var differences: [UsageReconciliationReport.Difference] = []
        for job in jobs {
            let mine = ours[job]?.seconds ?? 0
            let engine = theirs[job]?.seconds ?? 0
            let allowance = max(toleranceSeconds * max(ours[job]?.gpus ?? 0, theirs[job]?.gpus ?? 0, 1), toleranceFraction * max(mine, engine))
            guard abs(mine - engine) > allowance else { continue }
            let kind: UsageReconciliationReport.Kind = ours[job] == nil ? .missingInReservoir : theirs[job] == nil ? .missingInEngine : .gpuSecondsDiffer
            differences.append(.init(
                job: job, tenant: ours[job]?.tenant ?? theirs[job]?.tenant, kind: kind, reservoirGPUSeconds: mine, engineGPUSeconds: engine,
                engineIDs: theirs[job]?.ids ?? []))
        }
        return UsageReconciliationReport(
            since: since, until: until, clusters: clusters, jobs: jobs.count, toleranceSeconds: toleranceSeconds, toleranceFraction: toleranceFraction,
            differences: differences, note: clusters.isEmpty ? "no engine of this reservoir keeps its own accounting (only Slurm does): nothing to compare" : nil)
    }
}
