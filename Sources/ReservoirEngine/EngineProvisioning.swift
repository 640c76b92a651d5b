import ReservoirCore

/// What an engine needs to mirror Reservoir's tenancy, and what it gives back for metering and recovery.
///
/// Kept apart from `ExecutionEngine` because only engines with their own policy objects need it: Slurm has
/// accounts, QOS, partitions and association limits; the simulator can conform with no-ops. The services
/// layer calls these after committing the matching change to the store, so every call is idempotent and
/// may be repeated on startup to converge the engine on the store.
public protocol EngineProvisioning: Sendable {
    /// Makes the tenant exist on the engine (Slurm: an account the engine's user may submit under).
    func ensureTenant(_ tenant: Tenant) async throws
    /// Makes the four priority classes exist with their preemption relations
    /// (Slurm: one QOS per class; each class may preempt every less important one).
    func ensurePriorityClasses() async throws
    /// Makes the pool exist on the engine with exactly these nodes (Slurm: a partition).
    func ensurePool(_ pool: Pool, nodes: [NodeID]) async throws
    /// Applies a quota's limit as the engine's hard ceiling (Slurm: the account's `GrpTRES`).
    /// Reservoir still admits by quota itself; this is the backstop if something bypasses it.
    func setQuota(_ quota: Quota) async throws
    /// Accounted usage of Reservoir's jobs that ran since `since` (seconds since the Unix epoch),
    /// one record per run (a preempted and restarted job has several), for metering and billing.
    func usage(since: Double) async throws -> [EngineUsageRecord]
}

/// One run of one job as the engine's accounting recorded it.
public struct EngineUsageRecord: Codable, Hashable, Sendable {
    public var job: JobID
    /// The engine's own id of the run; informational only.
    public var engineID: String
    public var tenant: TenantID?
    public var pool: PoolID?
    /// Whole GPUs the run held.
    public var gpus: Int
    public var startedAt: Double
    /// Nil while the run is still going; `gpuSeconds` then counts up to the query time.
    public var finishedAt: Double?
    /// GPUs × elapsed seconds, as the engine accounted them.
    public var gpuSeconds: Double
    /// The engine's final state word for the run (e.g. `COMPLETED`, `REQUEUED`), for people.
    public var state: String

    public init(
        job: JobID, engineID: String, tenant: TenantID?, pool: PoolID?, gpus: Int, startedAt: Double,
        finishedAt: Double?, gpuSeconds: Double, state: String
    ) {
        self.job = job
        self.engineID = engineID
        self.tenant = tenant
        self.pool = pool
        self.gpus = gpus
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.gpuSeconds = gpuSeconds
        self.state = state
    }
}

/// An engine that can lose or duplicate work when it crashes, and can be brought back in line.
public protocol EngineReconciling: Sendable {
    /// Brings the engine in line with what Reservoir committed: `expected` are the jobs Reservoir
    /// believes the engine holds (admitted or running). Returns every repair made, for the audit log.
    func reconcile(expected: [EngineJobSpec]) async throws -> [EngineRepair]
}

/// One thing reconciliation changed on the engine, in words for the audit log.
public struct EngineRepair: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable {
        /// A job Reservoir committed was missing on the engine and was submitted again.
        case resubmitted
        /// The engine held a second live copy of a job; the extra copy was cancelled.
        case duplicateCancelled = "duplicate-cancelled"
        /// A node the engine drained after its own crash was returned to service.
        case nodeResumed = "node-resumed"
        /// A job the engine held after a failed relaunch was released.
        case jobReleased = "job-released"
        /// A live job carries Reservoir's tag but Reservoir does not expect it; left alone, reported.
        case orphan
    }

    public var kind: Kind
    public var job: JobID?
    public var node: NodeID?
    public var engineID: String?
    public var message: String

    public init(kind: Kind, job: JobID? = nil, node: NodeID? = nil, engineID: String? = nil, message: String) {
        self.kind = kind
        self.job = job
        self.node = node
        self.engineID = engineID
        self.message = message
    }
}
