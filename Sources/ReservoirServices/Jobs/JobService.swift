import ReservoirCore
import ReservoirEngine
import ReservoirStore

extension Reservoir {
    // MARK: - Submit

    /// Validates a submission, resolves tenant, pool and models, and commits the job before returning it.
    public func submit(_ submission: JobSubmission, by principal: Principal) throws -> Job {
        let tenant = try submittingTenant(submission, principal)
        guard try store.tenants().contains(where: { $0.id == tenant }) else { throw ReservoirError.notFound("tenant", "no tenant \(tenant)") }
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
        let request = ResourceRequest(
            gpus: r.gpus ?? 0, gpuMilli: r.gpuMilli ?? 1000, cpuMilli: r.cpuMilli ?? 1000, memoryMiB: r.memoryMiB ?? 1024,
            models: models, migProfile: r.migProfile, nodeSelector: r.nodeSelector ?? [:], tolerations: r.tolerations ?? [])
        let priority = submission.priority ?? .p2
        if priority == .p0, !(principal.isOperator || principal.user.roles.contains(.emergencyApprover)) {
            throw ReservoirError(.permissionDenied, field: "priority", "P0 (emergency) needs an operator or the emergency approver")
        }
        var job = Job(
            id: "pending", name: submission.name, tenant: tenant, submittedBy: principal.user.id, pool: pool,
            kind: submission.kind ?? .training, replicas: submission.replicas ?? 1, minMembers: submission.minMembers,
            request: request, priority: priority, preemptible: submission.preemptible ?? (priority == .p3 || priority == .p2),
            runtimeSeconds: submission.runtimeSeconds, submittedAt: clock())
        job.command = submission.jobCommand
        try job.validate()
        try Feasibility.requireSomeNodeFits(job, pool: pool, inventory: inventory, catalog: catalog)
        let stored = try store.insertJob(job, by: attribution(principal))
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
    private func resolvePool(_ name: String?, tenant: TenantID, inventory: Inventory) throws -> PoolID {
        if let name {
            guard inventory.pools.contains(where: { $0.id.rawValue == name }) else { throw ReservoirError.notFound("pool", "no pool \(name)") }
            return PoolID(name)
        }
        guard let pool = try store.quotas(tenant: tenant).map(\.pool).sorted().first else {
            throw ReservoirError.invalid("pool", "is required: tenant \(tenant) holds no quota that would pick a default pool")
        }
        return pool
    }

    // MARK: - Read

    public func listJobs(state: JobState?, limit: Int, by principal: Principal) throws -> [Job] {
        try store.jobs(tenant: try principal.readScope(), states: state.map { [$0] }, limit: min(max(limit, 1), 10_000))
    }

    /// A job the caller may see; another tenant's job answers "not found", never "forbidden", so ids do not leak.
    public func job(_ id: JobID, by principal: Principal) throws -> Job {
        guard let job = try store.job(id), principal.canRead(tenant: job.tenant) else {
            throw ReservoirError.notFound("id", "no job \(id)")
        }
        return job
    }

    public func jobEvents(_ id: JobID, by principal: Principal) throws -> [JobEvent] {
        _ = try job(id, by: principal)
        return try store.events(job: id)
    }

    // MARK: - Change

    /// Cancels a job: committed first (devices freed), then the engine is told.
    public func cancel(_ id: JobID, by principal: Principal) async throws -> Job {
        let current = try job(id, by: principal)
        guard principal.canWrite(tenant: current.tenant) else { throw ReservoirError(.permissionDenied, "you may not cancel job \(id)") }
        guard !current.state.isFinal else { throw ReservoirError(.conflict, field: "state", "job \(id) is already \(current.state.rawValue)") }
        let wasOnEngine = current.state.holdsDevices
        let job = try store.transitionJob(id, to: .cancelled, by: attribution(principal), message: "cancelled by \(principal.actor)") {
            $0.finishedAt = self.clock()
            $0.message = "cancelled by \(principal.actor)"
        }
        if wasOnEngine { try await engine.cancel(id) }
        wakeups.poke()
        return job
    }

    /// Changes the priority class of a queued or running job; the next cycle orders (and preempts) by it.
    public func setPriority(_ id: JobID, to priority: PriorityClass, by principal: Principal) throws -> Job {
        let current = try job(id, by: principal)
        guard principal.canWrite(tenant: current.tenant) else { throw ReservoirError(.permissionDenied, "you may not change job \(id)") }
        guard !current.state.isFinal else { throw ReservoirError(.conflict, field: "state", "job \(id) is already \(current.state.rawValue)") }
        if priority == .p0, !(principal.isOperator || principal.user.roles.contains(.emergencyApprover)) {
            throw ReservoirError(.permissionDenied, field: "priority", "P0 (emergency) needs an operator or the emergency approver")
        }
        let job = try store.updateJob(id, action: "priority", by: attribution(principal)) { $0.priority = priority }
        wakeups.poke()
        return job
    }
}
