import ReservoirCore

/// Reads of jobs and their history: what the jobs context shows and what planning and metering count.
public protocol JobReader: Sendable {
    func job(_ id: JobID) throws -> Job?
    /// Jobs newest first, optionally of one tenant, in some states, submitted at or after `since`.
    func jobs(tenant: TenantID?, states: Set<JobState>?, since: Double?, limit: Int) throws -> [Job]
    /// How many jobs `jobs` would list without its limit (so a list can say "100 of 139").
    func countJobs(tenant: TenantID?, states: Set<JobState>?, since: Double?) throws -> Int
    func decisions(job: JobID) throws -> [DecisionRecord]
    func events(job: JobID) throws -> [JobEvent]
    /// A page of jobs, newest first (keyset: it reads no more than its rows).
    func jobs(_ filter: JobListFilter, page: PageRequest) throws -> Page<Job>
    /// How many jobs match the filter, over all pages (so a list can say "100 of 139").
    func countJobs(_ filter: JobListFilter) throws -> Int
    /// A page of a job's events, oldest first.
    func events(job: JobID, page: PageRequest) throws -> Page<JobEvent>
    /// The change feed: jobs written after stamp `since` (each once, in its latest state, oldest change
    /// first, at most `limit`) and the stamp to ask from next; `through < since` means the stamps went
    /// backwards (a restored database): rebuild whatever was built from the feed.
    func jobsChanged(since: Int64, limit: Int) throws -> (jobs: [Job], through: Int64)
    /// The newest change stamp: read it before a full read, then follow `jobsChanged(since:)` from it.
    func jobChangeSeq() throws -> Int64
    /// When the first job of all was submitted; nil for none (where demand history may begin).
    func firstSubmittedAt() throws -> Double?
    /// What the newest `limit` jobs in `states` submitted at or after `since` did on each device (the
    /// device profiles' recent work), read one row at a time: the jobs themselves are never all held.
    func deviceWork(states: Set<JobState>, since: Double, limit: Int) throws -> DeviceWork
}

extension JobReader {
    public func jobs(tenant: TenantID?, states: Set<JobState>?, limit: Int) throws -> [Job] {
        try jobs(tenant: tenant, states: states, since: nil, limit: limit)
    }
}

/// The jobs context's port: submissions (idempotent), changes a user asks for, and the job's history.
public protocol JobStore: JobReader, IdempotencyStore {
    func insertJob(_ job: Job, idempotency: IdempotencyKey?, by who: Attribution) throws -> Job
    @discardableResult
    func transitionJob(_ id: JobID, to state: JobState, by who: Attribution, message: String, change: (inout Job) -> Void) throws -> Job
    /// `transitionJob`, only if the job is still in one of `states` (checked in the same transaction);
    /// nil, with nothing written, when it is not: a repeated or stale engine event is then a no-op.
    @discardableResult
    func transitionJob(_ id: JobID, from states: Set<JobState>, to state: JobState, by who: Attribution, message: String, change: (inout Job) -> Void) throws -> Job?
    @discardableResult
    func updateJob(_ id: JobID, action: String, by who: Attribution, change: (inout Job) throws -> Void) throws -> Job
}

extension JobStore {
    public func insertJob(_ job: Job, by who: Attribution) throws -> Job { try insertJob(job, idempotency: nil, by: who) }
}

/// The scheduling side of jobs & scheduling: one cycle's decisions committed at once, elastic resizes,
/// the devices booked now, and this database's id (which tags jobs sent to external engines).
public protocol SchedulingStore: JobStore, InventoryReader, TenancyReader, AuditStore {
    func applyCycle(decisions: [(job: JobID, placements: [ReplicaPlacement], rationale: String)], waiting: [JobID: PendingReason], by who: Attribution) throws -> [Job]
    @discardableResult
    func resizeJob(_ id: JobID, replicas: Int, placements: [ReplicaPlacement], reason: String, by who: Attribution) throws -> Job
    func deviceBookings() throws -> [DeviceID: Int]
    func instanceID() throws -> String
}
