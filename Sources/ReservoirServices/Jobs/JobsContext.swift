import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirPlacement
import ReservoirStore

/// Jobs & scheduling, as users see it: submit, list, show, explain, cancel, change priority, read output.
/// What the scheduler and the engines do with jobs is `SchedulingContext`.
public struct JobsContext: ApplicationContext {
    public typealias Store = JobStore & InventoryReader & TenancyReader & DurableJobWrites
    let store: any Store
    let engine: any ExecutionEngine
    let scheduling: SchedulingContext
    public let runtime: Runtime
    /// Predicted runtime and peak memory, for `explain`; nil: none shown.
    var predictions: PredictionsContext?
    /// Grants jobs may run under (`JobSubmission.grant`); nil: a submission naming one is refused.
    var grants: GrantsContext?
    /// The prepaid-balance check before new work (`billing.zeroBalance`); nil: none.
    var funds: InvoicesContext?
    /// What each pool offers the request shapes submitted lately (`Feasibility`), per inventory generation.
    let poolFits = PoolFitMemo()

    // MARK: - Submit

    /// Validates a submission, resolves tenant, pool and models, and commits the job before returning it.
    /// With an idempotency key, a retry of the same submission returns the job the first one created.
    /// (In-process callers: the demo's generator, a request granted with a job. The API uses `submitDurably`.)
    public func submit(_ submission: JobSubmission, idempotencyKey: String? = nil, by principal: Principal) throws -> Job {
        switch try checked(submission, idempotencyKey: idempotencyKey, by: principal) {
        case .earlier(let job): return job
        case .new(let job, let key):
            let stored = try store.insertJob(job, idempotency: key, by: attribution(principal))
            wakeups.poke()
            return stored
        }
    }

    /// `submit` for the API: the job is committed in a group commit with the submissions that arrive
    /// meanwhile (one fsync for all of them) and answered once durable, without holding one of the
    /// cooperative pool's threads (one per core) through that fsync.
    public func submitDurably(_ submission: JobSubmission, idempotencyKey: String? = nil, by principal: Principal) async throws -> Job {
        switch try checked(submission, idempotencyKey: idempotencyKey, by: principal) {
        case .earlier(let job): return job
        case .new(let job, let key):
            let stored = try await store.insertJobDurably(job, idempotency: key, by: attribution(principal))
            wakeups.poke()
            return stored
        }
    }

    /// A checked submission: the job to store (with its idempotency key), or the job an earlier
    /// request with the same key created.
    private enum Checked {
        case earlier(Job)
        case new(Job, IdempotencyKey?)
    }

    /// Everything a submission is checked for before it is stored: limits, the caller's rights, the
    /// tenant, pool, models, grant, funds, feasibility and quota.
    private func checked(_ submission: JobSubmission, idempotencyKey: String?, by principal: Principal) throws -> Checked {
        try submission.checkLimits()
        let key = try Idempotency.key(idempotencyKey, route: "POST /v1/jobs", request: submission, by: principal)
        if let earlier = try Idempotency.replay(key, in: store) { return .earlier(try job(JobID(String(earlier.dropFirst("jobs/".count))), by: principal)) }
        let tenant = try submittingTenant(submission, principal)
        guard let owner = try store.tenants().first(where: { $0.id == tenant }) else { throw ReservoirError.notFound("tenant", "no tenant \(tenant)") }
        guard !owner.isDisabled else { throw ReservoirError(.conflict, field: "tenant", "tenant \(tenant) is disabled and takes no new jobs") }
        let generation = try store.inventoryGeneration()
        let inventory = try store.inventory()
        let catalog = try store.catalog()
        let grant = try submission.grant.map { try runsUnder(GrantID($0), by: principal) }
        // The green channel's work (a P0 grant) is never held up by money.
        if grant?.priority != .p0 { try funds?.requireFunds(tenant, for: "jobs") }
        let pool = try resolvePool(submission.pool ?? grant?.pool.rawValue, tenant: tenant, inventory: inventory)

        let request = try Self.resourceRequest(submission.request, catalog: catalog)
        let priority = submission.priority ?? grant?.priority ?? .p2
        // The green channel's grant runs its jobs as P0 whoever submits them; elsewhere P0 is the policy's.
        if priority == .p0, grant?.priority != .p0 { try access.require(principal, .raiseToP0, tenant: tenant, field: "priority") }
        if priority == .p3, submission.preemptible == false {
            throw ReservoirError(.unsatisfiable, field: "preemptible", "P3 (best-effort) work is always preemptible; omit preemptible or choose P2 or higher")
        }
        var job = Job(
            id: "pending", name: submission.name, tenant: tenant, submittedBy: principal.user.id, pool: pool.id,
            kind: submission.kind ?? .training, replicas: submission.replicas ?? 1, minMembers: submission.minMembers,
            request: request, priority: priority, preemptible: submission.preemptible ?? (priority == .p3 || priority == .p2),
            runtimeSeconds: submission.runtimeSeconds, submittedAt: clock())
        job.command = submission.jobCommand
        job.project = submission.project
        try job.validate()
        if let grant { try grants?.admit(&job, under: grant) }
        let feasibility = Feasibility(job, pool: pool, inventory: inventory, catalog: catalog, memo: poolFits, generation: generation)
        try feasibility.require()
        let quotas = try store.quotas(tenant: tenant)
        try feasibility.requireWithinLimit(quotas: try grants?.quotasInEffect(quotas) ?? quotas)
        return .new(job, key)
    }

    /// The grant a submission names.
    private func runsUnder(_ id: GrantID, by principal: Principal) throws -> Grant {
        guard let grants else { throw ReservoirError(.unavailable, field: "grant", "this server runs no grants") }
        return try grants.grantToRunUnder(id, by: principal)
    }

    /// The tenant a submission is for: as named, or the caller's own; the policy decides whether the caller may.
    private func submittingTenant(_ s: JobSubmission, _ principal: Principal) throws -> TenantID {
        try access.requireAny(principal, .submitJobs)
        guard let tenant = s.tenant.map { TenantID($0) } ?? principal.tenant else {
            throw ReservoirError.invalid("tenant", "is required: \(principal.user.id) belongs to no tenant")
        }
        try access.require(principal, .submitJobs, tenant: tenant, field: "tenant")
        return tenant
    }

    /// The named pool, or the first pool where the tenant holds a quota.
    private func resolvePool(_ name: String?, tenant: TenantID, inventory: Inventory) throws -> Pool {
        let id: PoolID
        if let name {
            id = PoolID(name)
        } else {
            guard let pool = try store.quotas(tenant: tenant).map(\.pool).sorted().first else {
                throw ReservoirError.invalid("pool", "is required: tenant \(tenant) holds no quota that would pick a default pool")
            }
            id = pool
        }
        guard let pool = inventory.pools.first(where: { $0.id == id }) else { throw ReservoirError.notFound("pool", "no pool \(id)") }
        return pool
    }

    /// What one replica asks for, from the submitted request: model names resolved against the
    /// catalog (an unknown one is refused, naming `request.models`), defaults filled in. Jobs and
    /// inference services' replicas are asked for alike.
    static func resourceRequest(_ r: JobSubmission.Request, catalog: GPUCatalog) throws -> ResourceRequest {
        var models: [String] = []
        for name in r.models?.names ?? [] {
            guard let canonical = catalog.canonicalName(name) else {
                throw ReservoirError.notFound("request.models", "unknown device model \(name); see /v1/catalog")
            }
            models.append(canonical)
        }
        let (gpus, gpuMilli) = try migShape(r)
        return ResourceRequest(
            gpus: gpus, gpuMilli: gpuMilli, cpuMilli: r.cpuMilli ?? 1000, memoryMiB: r.memoryMiB ?? 1024,
            models: models, migProfile: r.migProfile, gpuMemoryMiB: r.gpuMemoryMiB, nodeSelector: r.nodeSelector ?? [:],
            tolerations: r.tolerations ?? [])
    }

    /// GPUs and milli per GPU of a request: as asked, or for a MIG instance one GPU holding the
    /// profile's compute slices (its name's `Ng`), which quota and accounting charge.
    private static func migShape(_ r: JobSubmission.Request) throws -> (gpus: Int, gpuMilli: Int) {
        guard let name = r.migProfile else { return (r.gpus ?? 0, r.gpuMilli ?? 1000) }
        guard let profile = MIGGeometry.profiles.values.lazy.compactMap({ $0.first { $0.name == name } }).first else {
            let names = Set(MIGGeometry.profiles.values.flatMap { $0.map(\.name) }).sorted()
            throw ReservoirError.invalid("request.migProfile", "unknown MIG profile \(name); known: \(names.joined(separator: ", "))")
        }
        guard r.gpus == nil || r.gpus == 1 else { throw ReservoirError.invalid("request.gpus", "a MIG request takes one instance of one GPU: omit gpus or set 1") }
        guard r.gpuMilli == nil else { throw ReservoirError.invalid("request.gpuMilli", "follows from the MIG profile: omit it") }
        return (1, profile.milli)
    }

    // MARK: - Read

    /// A page of the caller's jobs (any tenant's for operators) that match `filter`, newest first.
    public func listJobs(_ filter: JobListFilter, page: PageRequest, by principal: Principal) throws -> Page<Job> {
        var mentions = JobMentions(store: store, principal: principal, access: access)
        return try store.jobs(try scoped(filter, principal), page: page).map { try mentions.shown($0) }
    }

    /// How many jobs `listJobs` would show over all its pages.
    public func countJobs(_ filter: JobListFilter, by principal: Principal) throws -> Int {
        try store.countJobs(try scoped(filter, principal))
    }

    private func scoped(_ filter: JobListFilter, _ principal: Principal) throws -> JobListFilter {
        var filter = filter
        filter.tenant = try access.listedTenant(asked: filter.tenant, principal, .readJobs)
        return filter
    }

    /// A job the caller may see; another tenant's job answers "not found", never "forbidden", so ids do not leak.
    public func job(_ id: JobID, by principal: Principal) throws -> Job {
        guard let job = try store.job(id), access.allows(principal, .readJobs, tenant: job.tenant) else {
            throw ReservoirError.notFound("id", "no job \(id)")
        }
        var mentions = JobMentions(store: store, principal: principal, access: access)
        return try mentions.shown(job)
    }

    /// A page of a job's events, oldest first.
    public func jobEvents(_ id: JobID, page: PageRequest, by principal: Principal) throws -> Page<JobEvent> {
        _ = try job(id, by: principal)
        var mentions = JobMentions(store: store, principal: principal, access: access)
        return try store.events(job: id, page: page).map { event in
            var event = event
            event.message = try mentions.told(event.message)
            return event
        }
    }

    // MARK: - Change

    /// Cancels a job. A waiting job is cancelled at once. For a job on an engine the intent is
    /// committed first (`pendingEngineCall = .cancel`), then the engine is told, and the job becomes
    /// `cancelled` (devices freed) when the engine confirms. If the engine call fails (Slurm down),
    /// the answer is still a success: the job stays marked, with a message saying so, keeps its
    /// devices, and the reconciler retries the engine call until it is confirmed.
    public func cancel(_ id: JobID, by principal: Principal) async throws -> Job {
        let current = try job(id, by: principal)
        try access.require(principal, .changeJobs, tenant: current.tenant)
        var mentions = JobMentions(store: store, principal: principal, access: access)
        guard !current.state.isFinal else { throw ReservoirError(.conflict, field: "state", "job \(id) is already \(current.state.rawValue)") }
        return try mentions.shown(try await cancel(id, by: attribution(principal)))
    }

    /// Cancels a job for `who`, whose right to was checked by the caller (a person above; an
    /// inference service scaling in). A waiting job is cancelled at once; a job on an engine is
    /// marked first and cancelled when the engine confirms.
    func cancel(_ id: JobID, by who: Attribution) async throws -> Job {
        let waiting: Set<JobState> = [.queued, .preempted]
        if let cancelled = try store.transitionJob(id, from: waiting, to: .cancelled, by: who, message: "cancelled by \(who.actor)", change: {
            $0.finishedAt = who.at
            $0.message = "cancelled by \(who.actor)"
        }) {
            wakeups.poke()
            return cancelled
        }
        // Admitted meanwhile, or on an engine already: commit the intent, then tell the engine.
        let requested = try store.updateJob(id, action: "cancel-requested", by: who) {
            guard $0.state.holdsDevices else {
                throw ReservoirError(.conflict, field: "state", "job \(id) is already \($0.state.rawValue)")
            }
            $0.pendingEngineCall = .cancel
            $0.message = "cancel requested by \(who.actor)"
        }
        return try await scheduling.tellEngineCancel(requested, by: who)
    }

    /// Cancels every unfinished job that matches the filter (members: only within their own tenant) and
    /// returns the ids cancelled. Jobs that finish meanwhile are skipped.
    public func cancelJobs(tenant: TenantID?, state: JobState?, pool: PoolID?, by principal: Principal) async throws -> [JobID] {
        guard tenant != nil || state != nil || pool != nil else {
            throw ReservoirError.invalid("filter", "give at least one of tenant, state or pool")
        }
        if let state, state.isFinal { throw ReservoirError.invalid("state", "\(state.rawValue) jobs are already finished") }
        var scope = tenant
        if access.scope(principal, .changeJobs) < .anyTenant {
            scope = try access.tenantFilter(principal, .changeJobs)
            if let tenant { try access.require(principal, .changeJobs, tenant: tenant, field: "tenant") }
        }
        let states = state.map { [$0] } ?? Set(JobState.allCases.filter { !$0.isFinal })
        var cancelled: [JobID] = []
        for job in try store.jobs(tenant: scope, states: states, limit: 1_000_000) where pool == nil || job.pool == pool {
            do {
                cancelled.append(try await cancel(job.id, by: principal).id)
            } catch let error as ReservoirError where error.code == .conflict {
                continue
            }
        }
        return cancelled
    }

    /// Changes the priority class of a queued or running job; the next cycle orders (and preempts) by it.
    /// The emergency approver may raise any tenant's job to P0 (and only that); lowering a job to P3
    /// makes it preemptible, as all best-effort work is.
    public func setPriority(_ id: JobID, to priority: PriorityClass, by principal: Principal) throws -> Job {
        let emergency = priority == .p0 && access.scope(principal, .raiseToP0) == .anyTenant
        guard let current = try store.job(id), access.allows(principal, .readJobs, tenant: current.tenant) || emergency else {
            throw ReservoirError.notFound("id", "no job \(id)")
        }
        if priority == .p0 {
            try access.require(principal, .raiseToP0, tenant: current.tenant, field: "priority")
        } else {
            try access.require(principal, .changeJobs, tenant: current.tenant)
        }
        guard !current.state.isFinal else { throw ReservoirError(.conflict, field: "state", "job \(id) is already \(current.state.rawValue)") }
        let job = try store.updateJob(id, action: "priority", by: attribution(principal)) {
            $0.priority = priority
            if priority == .p3 { $0.preemptible = true }
        }
        wakeups.poke()
        var mentions = JobMentions(store: store, principal: principal, access: access)
        return try mentions.shown(job)
    }
}
