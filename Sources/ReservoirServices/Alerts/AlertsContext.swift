import ReservoirCore
import ReservoirStore

/// Alerts (docs/ALERTS.md): a pass reads each pool's allocation, its oldest waiting job and the rolling
/// window's utilization of every pool and tenant, runs the pure rules (`AlertInputs.observations`,
/// `AlertEvaluator`) and commits what changed — each firing and resolution with its outbox notice, in
/// one transaction — then sets the Prometheus gauges. Operators and finance read the history.
public struct AlertsContext: ApplicationContext {
    public typealias Store = AlertStore & InventoryReader & JobReader & TenancyReader & TelemetryReader
    let store: any Store
    public let runtime: Runtime
    /// Wakes the pass early (a test, or a change worth a look).
    public let alertWakeups = Wakeups()
    /// The prepaid balances of the tenants that have an account (the billing context's, wired by
    /// `Reservoir`); nil: no billing, the zero-balance rule stays silent.
    public var balances: (@Sendable () throws -> [TenantID: Money])?
    /// The unfinished jobs, followed from the change feed (the scheduler's view, shared by `Reservoir`).
    var jobView = JobView()

    /// One evaluation: returns what changed (an unchanged alert is not rewritten).
    @discardableResult
    public func pass() throws -> [AlertChange] {
        let now = clock()
        let settings = configuration.alerts
        let inputs = try inputs(now: now)
        let open = try store.openAlerts()
        let changes = AlertEvaluator.step(open: open, observations: inputs.observations(settings), settings: settings, now: now)
        try store.applyAlertChanges(changes, by: system("alerts"))
        if changes.contains(where: \.isAnnounced) { notificationWakeups.poke() }
        let firing = Set(try firing().map(\.key))
        AlertGauges.publish(inputs, firing: firing, known: Set(open.map(\.key) + changes.map(\.alert.key)),
                           money: configuration.metrics.perTenantMoney)
        return changes
    }

    /// The alerts firing now (the Alertmanager feed posts them again after every pass).
    public func firing() throws -> [Alert] {
        try store.openAlerts().filter { $0.state == .firing }
    }

    /// A page of alerts, newest first (operators and finance).
    public func alerts(state: AlertState?, since: Double?, page: PageRequest, by principal: Principal) throws -> Page<Alert> {
        try access.requireAny(principal, .readAlerts)
        return try store.alerts(state: state, since: since, page: page)
    }

    /// What the rules read now (balances: those of tenants with a prepaid account). Allocation counts admitted and running jobs' GPUs (fractions included)
    /// over every accelerator of the pool; the queue wait is the longest a never-started queued job has
    /// waited since submission (jobs without a pool count under `pool:any`); utilization is the
    /// sample-weighted mean of the window's daily roll-ups.
    func inputs(now: Double) throws -> AlertInputs {
        let inventory = try store.inventory()
        let since = now - Double(configuration.alerts.windowDays) * 86_400
        func window(_ scope: UtilizationScope) throws -> WindowUtilization? {
            WindowUtilization(try store.utilization(UtilizationQuery(scope: scope, since: since, until: now, resolution: .day)))
        }
        let jobs = try jobView.unfinished(store)
        var allocated: [PoolID: Double] = [:]
        for job in jobs.active {
            if let pool = job.pool { allocated[pool, default: 0] += Double(job.totalGPUMilli) / 1000 }
        }
        let any = PoolID("any")
        var oldest: [PoolID: Double] = [:]
        for job in jobs.pending where job.state == .queued && job.startedAt == nil {
            let pool = job.pool ?? any
            oldest[pool] = max(oldest[pool] ?? 0, now - job.submittedAt)
        }
        var pools = try inventory.pools.map { pool in
            let gpus = inventory.nodes.filter { $0.pool == pool.id }.reduce(0) { $0 + $1.gpuCount }
            return PoolReading(
                pool: pool.id, gpus: Double(gpus), allocatedGPUs: allocated[pool.id] ?? 0, oldestQueuedWaitSeconds: oldest[pool.id],
                utilization: try window(.pool(pool.id)))
        }
        if let wait = oldest[any] { pools.append(PoolReading(pool: any, gpus: 0, allocatedGPUs: 0, oldestQueuedWaitSeconds: wait, utilization: nil)) }
        let balances = try balances?() ?? [:]
        let tenants = try store.tenants().map { TenantReading(tenant: $0.id, utilization: try window(.tenant($0.id)), balance: balances[$0.id]) }
        return AlertInputs(pools: pools, tenants: tenants)
    }
}
