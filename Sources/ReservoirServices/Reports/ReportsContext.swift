import ReservoirCore
import ReservoirStore

/// The monthly transparency report (`GET /v1/reports/monthly`, `reservoir report monthly`): it reads what
/// the month left behind — usage sessions, jobs, telemetry day roll-ups, device health, reclamations,
/// grants and (once billing is wired in) the month's charges — and hands it to the pure
/// `MonthlyReportBuilder`. Every human role may read it: publishing it to everyone is its purpose.
public struct ReportsContext: ApplicationContext {
    public typealias Store = UsageStore & InventoryReader & JobReader & DeviceHealthReader & ReclamationReader & GrantReader
    let store: any Store
    let telemetry: any TelemetryReader
    public let runtime: Runtime
    /// Prices and billing rules: the month's charges for the unit-cost list.
    let billing: BillingContext

    /// At most this many applications (the largest by device-hours) are read from telemetry for the lists.
    static let applicationLimit = 200

    public init(store: any Store, telemetry: any TelemetryReader, billing: BillingContext, runtime: Runtime) {
        self.store = store
        self.telemetry = telemetry
        self.billing = billing
        self.runtime = runtime
    }

    /// The report of `month` (default: this month on Reservoir's clock). A month that has not begun is a 400
    /// naming `month`.
    public func monthly(month asked: ReportMonth?, by principal: Principal) throws -> MonthlyReport {
        try access.requireAny(principal, .readReports)
        let now = clock()
        let month = asked ?? ReportMonth(containing: now)
        guard month.since <= now else { throw ReservoirError.invalid("month", "\(month) has not begun yet; ask for this month or an earlier one") }
        return MonthlyReportBuilder.build(try input(month, now: now))
    }

    /// Runs the report off the cooperative pool (`Offload`): it reads two months of sessions and telemetry.
    public func offloaded<T: Sendable>(_ work: @escaping @Sendable (ReportsContext) throws -> T) async throws -> T {
        try await Offload.run { try work(self) }
    }

    func input(_ month: ReportMonth, now: Double) throws -> MonthlyReportInput {
        let previous = ReportMonth(containing: month.since - 1)
        let inventory = try store.inventory(), catalog = try store.catalog()
        func canonical(_ model: String) -> String { model.isEmpty ? model : catalog.canonicalName(model) ?? model }
        let regionOfCluster = Dictionary(inventory.clusters.map { ($0.id, $0.region.rawValue) }, uniquingKeysWith: { a, _ in a })
        let regionOfPool = Dictionary(inventory.pools.map { ($0.id, regionOfCluster[$0.cluster] ?? "unknown") }, uniquingKeysWith: { a, _ in a })
        var capacity: [GPUCapacity] = []
        for node in inventory.nodes {
            for device in node.devices where device.kind != .cpu {
                capacity.append(GPUCapacity(region: regionOfPool[node.pool] ?? "unknown", model: canonical(device.model), gpus: 1))
            }
        }
        let sessions = try store.usageSessions(tenant: nil, since: previous.since, until: month.until).map {
            var session = $0
            session.model = canonical(session.model)
            return session
        }
        var jobs: [JobID: ReportJob] = [:]
        for id in Set(sessions.map(\.job)) {
            if let job = try store.job(id) { jobs[id] = ReportJob(id: id, name: job.name, tenant: job.tenant, submittedAt: job.submittedAt) }
        }
        return MonthlyReportInput(
            month: month, now: now, capacity: capacity, regionOfPool: regionOfPool, sessions: sessions, jobs: jobs,
            failures: try failures(since: previous.since, until: month.until),
            healthEvents: try store.healthEvents(device: nil, since: previous.since).filter { $0.at < month.until },
            reclamations: try Page.all { try store.reclamations(since: previous.since, until: month.until, tenant: nil, page: $0) },
            grants: try Page.all { try store.grants(tenant: nil, state: nil, page: $0) }.filter {
                $0.startsAt < month.until && ($0.endsAt ?? .infinity) > month.since
            },
            telemetry: try telemetry(month, sessions: sessions, now: now), previousDaily: try daily(.reservoir, previous),
            charges: try charges(month, sessions: sessions, now: now))
    }

    /// When each job that failed in `[since, until)` ended (jobs submitted up to a month before `since`).
    private func failures(since: Double, until: Double) throws -> [Double] {
        try Page.all { try store.jobs(JobListFilter(states: [.failed], since: since - 31 * 86_400, until: until), page: $0) }
            .compactMap(\.finishedAt).filter { $0 >= since && $0 < until }
    }

    /// The day roll-ups the lists rank: whole reservoir, per model, per tenant and per application that
    /// held devices in the month (the `applicationLimit` largest).
    private func telemetry(_ month: ReportMonth, sessions: [UsageSession], now: Double) throws -> ReportTelemetry {
        let inMonth = sessions.filter { !$0.model.isEmpty && $0.seconds(from: month.since, to: month.until, now: now) > 0 }
        var held: [UtilizationScope: Double] = [:]
        for session in inMonth {
            let scope: UtilizationScope = session.service.map { .service($0) } ?? .job(session.job)
            held[scope, default: 0] += session.gpuSeconds(from: month.since, to: month.until, now: now)
        }
        let applications = held.map { (scope: $0.key, name: "\($0.key)", seconds: $0.value) }
            .sorted { ($0.seconds, $1.name) > ($1.seconds, $0.name) }.prefix(Self.applicationLimit).map(\.scope)
        var result = ReportTelemetry(daily: try daily(.reservoir, month))
        for model in Set(inMonth.map(\.model)) { result.byModel[model] = try daily(.model(model), month) }
        for tenant in Set(inMonth.map(\.tenant)) { result.byTenant[tenant] = try daily(.tenant(tenant), month) }
        for scope in applications {
            switch scope {
            case .job(let id): result.byJob[id] = try daily(scope, month)
            case .service(let id): result.byService[id] = try daily(scope, month)
            default: break
            }
        }
        return result
    }

    private func daily(_ scope: UtilizationScope, _ month: ReportMonth) throws -> [UtilizationPoint] {
        try telemetry.utilization(UtilizationQuery(scope: scope, since: month.since, until: month.until, resolution: .day))
    }
}
