import ReservoirCore
import ReservoirEngine
import ReservoirStore

/// Inference services (SPEC §5.8): deploy, show, scale by hand, read the history, delete; the
/// autoscaler's pass (`ServicesContext+Autoscale`), the capacity requests of tiers 2 and 3
/// (`ServicesContext+Capacity`) and the offered load the telemetry sampler feeds the simulator.
///
/// A service's capacity changes only by an adjustment: one transaction with the service, its
/// `ServiceAdjustment` record and the audit entry. Replicas follow: `reconcileReplicas` submits
/// replica jobs (kind inference, tagged with the service) through the job store, where the
/// scheduler places them as any job (preempting lower classes by the usual rules: tier 1), or
/// cancels the newest. A replica that ends for any other reason is replaced on the next pass.
public struct ServicesContext: ApplicationContext {
    public typealias Store = ServiceStore & JobStore & InventoryReader & TenancyReader
    let store: any Store
    /// The replicas' utilization (minute buckets), which the autoscaler acts on.
    let telemetry: any TelemetryReader
    let jobs: JobsContext
    public let runtime: Runtime
    /// Wakes the autoscaler loop early (a deploy, a manual scaling).
    public let autoscalerWakeups = Wakeups()
    /// One autoscaler pass at a time.
    let gate = PassGate()

    init(store: any Store, telemetry: any TelemetryReader, jobs: JobsContext, runtime: Runtime) {
        self.store = store
        self.telemetry = telemetry
        self.jobs = jobs
        self.runtime = runtime
    }

    var settings: ServicesSettings { configuration.services }

    // MARK: - Deploy

    /// Validates a service, stores it with its `deployed` adjustment and submits its initial replicas.
    public func deploy(_ spec: ServiceSpec, idempotencyKey: String? = nil, by principal: Principal) async throws -> ServiceView {
        try spec.checkLimits()
        let key = try Idempotency.key(idempotencyKey, route: "POST /v1/services", request: spec, by: principal)
        if let earlier = try Idempotency.replay(key, in: store) { return try show(ServiceID(String(earlier.dropFirst("services/".count))), by: principal) }
        try access.requireAny(principal, .manageServices)
        guard let tenant = spec.tenant.map({ TenantID($0) }) ?? principal.tenant else {
            throw ReservoirError.invalid("tenant", "is required: \(principal.user.id) belongs to no tenant")
        }
        try access.require(principal, .manageServices, tenant: tenant, field: "tenant")
        guard let owner = try store.tenants().first(where: { $0.id == tenant }) else { throw ReservoirError.notFound("tenant", "no tenant \(tenant)") }
        guard !owner.isDisabled else { throw ReservoirError(.conflict, field: "tenant", "tenant \(tenant) is disabled and takes no new services") }
        try jobs.funds?.requireFunds(tenant, for: "services")
        let generation = try store.inventoryGeneration()
        let inventory = try store.inventory()
        guard let pool = inventory.pools.first(where: { $0.id == PoolID(spec.pool) }) else { throw ReservoirError.notFound("pool", "no pool \(spec.pool)") }
        let sla = try spec.checkedSLA()
        let request = try JobsContext.resourceRequest(spec.request, catalog: try store.catalog())
        let priority = spec.priority ?? .p1
        if priority == .p0 { try access.require(principal, .raiseToP0, tenant: tenant, field: "priority") }
        let service = InferenceService(
            id: ServiceID(spec.name), tenant: tenant, pool: pool.id, model: spec.model, request: request, minReplicas: spec.replicas.min,
            maxReplicas: spec.replicas.max, desiredReplicas: spec.replicas.initial ?? spec.replicas.min, priority: priority, sla: sla,
            capacityQPS: spec.capacityQPS, autoscaling: spec.policy, traffic: spec.trafficProfile, createdAt: clock(), createdBy: principal.user.id)
        try service.validate()
        let replica = replicaJob(service, at: service.createdAt)
        try replica.validate()
        // A replica no node could hold, or one above the tenant's limit in the pool, would wait forever.
        let feasibility = Feasibility(replica, pool: pool, inventory: inventory, catalog: try store.catalog(), memo: jobs.poolFits, generation: generation)
        try feasibility.require()
        try feasibility.requireWithinLimit(quotas: try store.quotas(tenant: tenant))
        let who = attribution(principal)
        try store.createService(
            service,
            adjustment: ServiceAdjustment(
                service: service.id, tenant: tenant, at: who.at, before: 0, after: service.desiredReplicas, actor: who.actor, tier: .replicas,
                kind: .deployed, reason: "deployed with \(service.desiredReplicas) replica\(service.desiredReplicas == 1 ? "" : "s")"),
            idempotency: key, by: who)
        try await reconcileReplicas(service, by: who)
        autoscalerWakeups.poke()
        return try view(service)
    }

    /// A replica of `service` as a job: kind inference, one replica of the service's request, its
    /// class, tagged with the service. It declares the longest runtime there is (a year): it runs
    /// until the service scales in or is deleted, and backfill never counts on its end.
    func replicaJob(_ service: InferenceService, at: Double) -> Job {
        var job = Job(
            id: "pending", name: service.id.rawValue, tenant: service.tenant, submittedBy: service.createdBy, pool: service.pool, kind: .inference,
            replicas: 1, request: service.request, priority: service.priority, preemptible: service.priority == .p2 || service.priority == .p3,
            runtimeSeconds: Bounds.runtimeSeconds.upperBound, submittedAt: at)
        job.service = service.id
        return job
    }

    // MARK: - Read

    /// The services the caller may read, by name (`tenant`: only that tenant's, within the caller's reach).
    public func list(tenant: TenantID?, page: PageRequest, by principal: Principal) throws -> Page<ServiceView> {
        let scope = try access.listedTenant(asked: tenant, principal, .readServices)
        let services = try store.services(tenant: scope)
        return try Page(sorted: services, by: { [$0.id.rawValue] }, for: page).map { try view($0) }
    }

    public func show(_ id: ServiceID, by principal: Principal) throws -> ServiceView {
        try view(try readable(id, by: principal))
    }

    /// A page of the service's adjustments, oldest first (kept after the service is deleted).
    public func history(_ id: ServiceID, page: PageRequest, by principal: Principal) throws -> Page<ServiceAdjustment> {
        // A deleted service is known by its records, which carry its tenant.
        let tenant = try store.service(id)?.tenant ?? store.lastAdjustment(service: id)?.tenant
        guard let tenant, access.allows(principal, .readServices, tenant: tenant) else { throw ReservoirError.notFound("id", "no service \(id)") }
        return try store.adjustments(service: id, page: page)
    }

    /// A service the caller may read; another tenant's answers "not found", so names do not leak.
    func readable(_ id: ServiceID, by principal: Principal) throws -> InferenceService {
        guard let service = try store.service(id), access.allows(principal, .readServices, tenant: service.tenant) else {
            throw ReservoirError.notFound("id", "no service \(id)")
        }
        return service
    }

    func view(_ service: InferenceService) throws -> ServiceView {
        let active = try store.replicas(of: service.id, states: Set(JobState.allCases.filter { !$0.isFinal }))
        let running = active.filter(\.state.holdsDevices).count
        return ServiceView(
            service: service,
            replicas: ReplicaStatus(desired: service.desiredReplicas, running: running, pending: active.count - running, jobs: active.map(\.id)),
            load: try load(service, running: running, at: clock()), lastAdjustment: try store.lastAdjustment(service: service.id))
    }

    /// Traffic, utilization (measured over the last window, else estimated from traffic) and the p99 estimate.
    func load(_ service: InferenceService, running: Int, at now: Double) throws -> ServiceLoadView {
        let qps = service.traffic?.qps(at: now)
        let recent = try telemetry.utilization(
            UtilizationQuery(scope: .service(service.id), since: now - service.autoscaling.windowSeconds, until: now + 1, resolution: .minute))
        var view = ServiceLoadView(at: now, qps: qps, measured: false)
        if let latest = recent.last {
            view.gpuUtilPercent = latest.gpuUtilMean
            view.memoryPercent = latest.memoryFractionMean * 100
            view.measured = true
        } else if let qps, running > 0 {
            view.gpuUtilPercent = ServiceLoad.utilization(qps: ServiceLoad.perReplicaQPS(qps, replicas: running), capacityQPS: service.capacityQPS) * 100
        }
        if running > 0, let util = view.gpuUtilPercent {
            let p99 = ServiceLoad.p99LatencyMs(utilization: util / 100, capacityQPS: service.capacityQPS)
            view.p99LatencyMsEstimate = p99
            view.withinSLA = p99 <= service.sla.p99LatencyMs
        }
        return view
    }

    // MARK: - Change

    /// Sets the replica count by hand (within min…max), with the reason recorded; the cool-down restarts.
    public func scale(_ id: ServiceID, to replicas: Int, reason: String, by principal: Principal) async throws -> ServiceView {
        let current = try readable(id, by: principal)
        try access.require(principal, .manageServices, tenant: current.tenant)
        try InputLimits.name(reason, field: "reason")
        guard current.replicaRange.contains(replicas) else {
            throw ReservoirError.invalid("replicas", "must be within the service's replicas.min…replicas.max (\(current.minReplicas)…\(current.maxReplicas))")
        }
        let who = attribution(principal)
        let adjustment = ServiceAdjustment(
            service: id, tenant: current.tenant, at: who.at, before: current.desiredReplicas, after: replicas, actor: who.actor, tier: .replicas,
            kind: .manual, reason: reason)
        let (service, stored) = try store.adjustService(id, adjustment: adjustment, by: who) {
            try Self.unchanged($0, since: current)
            $0.desiredReplicas = replicas
        }
        ServiceGauges.adjusted(stored)
        notificationWakeups.poke()  // a scaling commits its notice with it
        try await reconcileReplicas(service, by: who)
        return try view(service)
    }

    /// Deletes a service: its last adjustment (`deleted`) is recorded, then every replica is cancelled.
    public func delete(_ id: ServiceID, by principal: Principal) async throws {
        let current = try readable(id, by: principal)
        try access.require(principal, .manageServices, tenant: current.tenant)
        let who = attribution(principal)
        try store.deleteService(
            id,
            adjustment: ServiceAdjustment(
                service: id, tenant: current.tenant, at: who.at, before: current.desiredReplicas, after: 0, actor: who.actor, tier: .replicas,
                kind: .deleted, reason: "deleted by \(who.actor)"),
            by: who)
        for replica in try store.replicas(of: id, states: Set(JobState.allCases.filter { !$0.isFinal })) where replica.pendingEngineCall != .cancel {
            try await cancelReplica(replica.id, by: who)
        }
    }

    // MARK: - Replicas

    /// Brings the service's unfinished replicas to its desired count: submits the missing ones, or
    /// cancels the surplus (waiting ones first, then the newest running ones). A replica whose
    /// cancellation is on its way no longer counts.
    func reconcileReplicas(_ service: InferenceService, by who: Attribution) async throws {
        let active = try store.replicas(of: service.id, states: Set(JobState.allCases.filter { !$0.isFinal }))
            .filter { $0.pendingEngineCall != .cancel }
        if active.count < service.desiredReplicas {
            for _ in active.count..<service.desiredReplicas {
                try store.insertJob(replicaJob(service, at: who.at), by: who)
            }
            wakeups.poke()
        } else if active.count > service.desiredReplicas {
            let surplus = active.sorted { a, b in
                a.state.holdsDevices != b.state.holdsDevices ? !a.state.holdsDevices : a.submittedAt > b.submittedAt || (a.submittedAt == b.submittedAt && a.id > b.id)
            }.prefix(active.count - service.desiredReplicas)
            for replica in surplus { try await cancelReplica(replica.id, by: who) }
        }
    }

    func cancelReplica(_ id: JobID, by who: Attribution) async throws {
        do {
            _ = try await jobs.cancel(id, by: who)
        } catch let error as ReservoirError where error.code == .conflict {
            // Finished meanwhile: nothing to cancel.
        }
    }
}

/// One autoscaler pass at a time: a pass that finds another running waits for it, then makes its
/// own (on the state the first one left), so the loop and a direct call never both submit replicas.
actor PassGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
