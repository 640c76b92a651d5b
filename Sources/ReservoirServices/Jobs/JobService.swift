import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirPlacement
import ReservoirStore

extension Reservoir {
    // MARK: - Submit

    /// Validates a submission, resolves tenant, pool and models, and commits the job before returning it.
    /// With an idempotency key, a retry of the same submission returns the job the first one created.
    public func submit(_ submission: JobSubmission, idempotencyKey: String? = nil, by principal: Principal) throws -> Job {
        try submission.checkLimits()
        let key = try idempotency(idempotencyKey, route: "POST /v1/jobs", request: submission, by: principal)
        if let earlier = try replay(key) { return try job(JobID(String(earlier.dropFirst("jobs/".count))), by: principal) }
        let tenant = try submittingTenant(submission, principal)
        guard let owner = try store.tenants().first(where: { $0.id == tenant }) else { throw ReservoirError.notFound("tenant", "no tenant \(tenant)") }
        guard !owner.isDisabled else { throw ReservoirError(.conflict, field: "tenant", "tenant \(tenant) is disabled and takes no new jobs") }
        let inventory = try store.inventory()
        let catalog = try store.catalog()
        let pool = try resolvePool(submission.pool, tenant: tenant, inventory: inventory)

        var models: [String] = []
        for name in submission.request.models?.names ?? [] {
            guard let canonical = catalog.canonicalName(name) else {
                throw ReservoirError.notFound("request.models", "unknown device model \(name); see /v1/catalog")
            }
            models.append(canonical)
        }
        let r = submission.request
        let (gpus, gpuMilli) = try Self.migShape(r)
        let request = ResourceRequest(
            gpus: gpus, gpuMilli: gpuMilli, cpuMilli: r.cpuMilli ?? 1000, memoryMiB: r.memoryMiB ?? 1024,
            models: models, migProfile: r.migProfile, gpuMemoryMiB: r.gpuMemoryMiB, nodeSelector: r.nodeSelector ?? [:],
            tolerations: r.tolerations ?? [])
        let priority = submission.priority ?? .p2
        try principal.requireMayUse(priority)
        if priority == .p3, submission.preemptible == false {
            throw ReservoirError(.unsatisfiable, field: "preemptible", "P3 (best-effort) work is always preemptible; omit preemptible or choose P2 or higher")
        }
        var job = Job(
            id: "pending", name: submission.name, tenant: tenant, submittedBy: principal.user.id, pool: pool.id,
            kind: submission.kind ?? .training, replicas: submission.replicas ?? 1, minMembers: submission.minMembers,
            request: request, priority: priority, preemptible: submission.preemptible ?? (priority == .p3 || priority == .p2),
            runtimeSeconds: submission.runtimeSeconds, submittedAt: clock())
        job.command = submission.jobCommand
        try job.validate()
        let feasibility = Feasibility(job, pool: pool, inventory: inventory, catalog: catalog)
        try feasibility.require()
        try feasibility.requireWithinLimit(quotas: try store.quotas(tenant: tenant))
        let stored = try store.insertJob(job, idempotency: key, by: attribution(principal))
        wakeups.poke()
        return stored
    }

    private func submittingTenant(_ s: JobSubmission, _ principal: Principal) throws -> TenantID {
        if principal.isOperator {
            guard let t = s.tenant ?? principal.tenant?.rawValue else { throw ReservoirError.invalid("tenant", "operators must name the tenant") }
            return TenantID(t)
        }
        guard principal.user.roles.contains(.member), let own = principal.tenant else {
            throw ReservoirError(.permissionDenied, "only tenant members and operators may submit jobs")
        }
        if let t = s.tenant, t != own.rawValue {
            throw ReservoirError(.permissionDenied, field: "tenant", "members submit only to their own tenant (\(own))")
        }
        return own
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

    /// The caller's jobs (all for operators), newest first, at most `limit` (1…10,000) of them.
    public func listJobs(state: JobState?, since: Double? = nil, limit: Int, by principal: Principal) throws -> [Job] {
        var mentions = JobMentions(store: store, principal: principal)
        return try store.jobs(tenant: try principal.readScope(), states: state.map { [$0] }, since: since, limit: min(max(limit, 1), 10_000))
            .map { try mentions.shown($0) }
    }

    /// How many jobs `listJobs` would show without its limit.
    public func countJobs(state: JobState?, since: Double? = nil, by principal: Principal) throws -> Int {
        try store.countJobs(tenant: try principal.readScope(), states: state.map { [$0] }, since: since)
    }

    /// A job the caller may see; another tenant's job answers "not found", never "forbidden", so ids do not leak.
    public func job(_ id: JobID, by principal: Principal) throws -> Job {
        guard let job = try store.job(id), principal.canRead(tenant: job.tenant) else {
            throw ReservoirError.notFound("id", "no job \(id)")
        }
        var mentions = JobMentions(store: store, principal: principal)
        return try mentions.shown(job)
    }

    public func jobEvents(_ id: JobID, by principal: Principal) throws -> [JobEvent] {
        _ = try job(id, by: principal)
        var mentions = JobMentions(store: store, principal: principal)
        return try store.events(job: id).map { event in
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
        guard principal.canWrite(tenant: current.tenant) else { throw ReservoirError(.permissionDenied, "you may not cancel job \(id)") }
        var mentions = JobMentions(store: store, principal: principal)
        guard !current.state.isFinal else { throw ReservoirError(.conflict, field: "state", "job \(id) is already \(current.state.rawValue)") }
        let who = attribution(principal)
        let waiting: Set<JobState> = [.queued, .preempted]
        if let cancelled = try store.transitionJob(id, from: waiting, to: .cancelled, by: who, message: "cancelled by \(principal.actor)", change: {
            $0.finishedAt = who.at
            $0.message = "cancelled by \(principal.actor)"
        }) {
            wakeups.poke()
            return try mentions.shown(cancelled)
        }
        // Admitted meanwhile, or on an engine already: commit the intent, then tell the engine.
        let requested = try store.updateJob(id, action: "cancel-requested", by: who) {
            guard $0.state.holdsDevices else {
                throw ReservoirError(.conflict, field: "state", "job \(id) is already \($0.state.rawValue)")
            }
            $0.pendingEngineCall = .cancel
            $0.message = "cancel requested by \(principal.actor)"
        }
        return try mentions.shown(try await tellEngineCancel(requested, by: who))
    }

    private static let unconfirmed = "; the engine has not confirmed yet: "

    /// Tells the engine to cancel a job whose cancellation is committed; the job becomes `cancelled`
    /// when the engine confirms. A failed call leaves the job marked and says so in its message.
    func tellEngineCancel(_ job: Job, by who: Attribution) async throws -> Job {
        let requested = (job.message ?? "cancel requested").components(separatedBy: Self.unconfirmed)[0]
        do {
            try await engine.cancel(job.id)
        } catch {
            logger.warning("engine did not confirm cancel; reconciliation retries", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
            let note = requested + Self.unconfirmed + "reconciliation retries; the job keeps its devices until then (\(error))"
            guard job.message != note else { return job }
            return try store.updateJob(job.id, action: "engine-pending", by: who) { $0.message = note }
        }
        let cancelled = try store.transitionJob(job.id, from: [.admitted, .running], to: .cancelled, by: who, message: requested) {
            $0.finishedAt = who.at
            $0.message = requested
        }
        wakeups.poke()
        // The engine's own `cancelled` event (or its end) may have been applied first.
        return try cancelled ?? store.job(job.id) ?? job
    }

    /// Cancels every unfinished job that matches the filter (members: only within their own tenant) and
    /// returns the ids cancelled. Jobs that finish meanwhile are skipped.
    public func cancelJobs(tenant: TenantID?, state: JobState?, pool: PoolID?, by principal: Principal) async throws -> [JobID] {
        guard tenant != nil || state != nil || pool != nil else {
            throw ReservoirError.invalid("filter", "give at least one of tenant, state or pool")
        }
        if let state, state.isFinal { throw ReservoirError.invalid("state", "\(state.rawValue) jobs are already finished") }
        var scope = tenant
        if !principal.isOperator {
            guard principal.user.roles.contains(.member), let own = principal.tenant else {
                throw ReservoirError(.permissionDenied, "only tenant members and operators may cancel jobs")
            }
            if let tenant, tenant != own { throw ReservoirError(.permissionDenied, field: "tenant", "members cancel only their own tenant's jobs (\(own))") }
            scope = own
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
        let emergency = priority == .p0 && principal.mayRaiseToP0
        guard let current = try store.job(id), principal.canRead(tenant: current.tenant) || emergency else {
            throw ReservoirError.notFound("id", "no job \(id)")
        }
        guard principal.canWrite(tenant: current.tenant) || emergency else { throw ReservoirError(.permissionDenied, "you may not change job \(id)") }
        guard !current.state.isFinal else { throw ReservoirError(.conflict, field: "state", "job \(id) is already \(current.state.rawValue)") }
        try principal.requireMayUse(priority)
        let job = try store.updateJob(id, action: "priority", by: attribution(principal)) {
            $0.priority = priority
            if priority == .p3 { $0.preemptible = true }
        }
        wakeups.poke()
        var mentions = JobMentions(store: store, principal: principal)
        return try mentions.shown(job)
    }
}
