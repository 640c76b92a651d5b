import ReservoirCore
import ReservoirStore

/// A login `serve --demo` prints: only for tokens it created on this start.
public struct DemoLogin: Sendable {
    public var user: String
    public var roles: String
    public var token: String
}

/// The demo: seeds a fresh reservoir once and keeps a sample job stream going, acting only through the
/// other contexts and only for the tenants and users it seeded.
public struct DemoContext: ApplicationContext {
    public typealias Store = DemoStore & JobReader & TenancyReader & InventoryReader & TelemetryStore
    let store: any Store
    let inventory: InventoryContext
    let tenancy: TenancyContext
    let tokens: AccessContext
    let jobs: JobsContext
    let services: ServicesContext
    let requests: RequestsContext
    let leases: LeasesContext
    let reclamations: ReclamationsContext
    let billing: BillingContext
    let invoices: InvoicesContext
    let planning: PlanningContext
    public let runtime: Runtime

    /// Seeds the demo reservoir on a fresh database: inventory, tenants with quotas, one user per role,
    /// four weeks of job history (so planning answers on day one and last month can be billed), and one token per demo user, whose
    /// secrets are returned to be printed once. On a database that already has an inventory it
    /// creates nothing and returns no logins: tokens are never minted again behind the operator's back.
    public func seed(by principal: Principal) throws -> [DemoLogin] {
        guard try store.inventory().nodes.isEmpty else { return [] }
        _ = try inventory.importDescription(yaml: DemoReservoir.description, by: principal)
        var users: [User] = []
        // The tenants and their quotas are written at the start of the job history (as the demo writes
        // its other past), so the guarantees they held idle then are billed: a quota is charged only
        // from when it was set (`BillingContext.reserved`).
        let now = clock()
        let tenancy = self.tenancy.earlier(by: now - DemoHistory.firstHour(now: now))
        for t in DemoReservoir.tenants {
            _ = try tenancy.createTenant(Tenant(id: TenantID(t.id), weight: t.weight), by: principal)
            for q in t.quotas {
                _ = try tenancy.setQuota(Quota(tenant: TenantID(t.id), pool: PoolID(q.pool), guaranteedMilli: q.guaranteed * 1000, limitMilli: q.limit * 1000), by: principal)
            }
            users.append(User(id: UserID("\(t.id)-member"), tenant: TenantID(t.id), roles: [.member]))
        }
        users += [User(id: "finance", roles: [.finance]), User(id: "approver", roles: [.approver]), User(id: "emergency", roles: [.emergencyApprover])]
        users += DemoRequests.reviewers
        for user in users { _ = try tenancy.createUser(user, by: principal) }
        try store.markDemo(tenants: DemoReservoir.tenants.map { TenantID($0.id) }, users: users.map(\.id))
        let history = DemoHistory.jobs(inventory: try store.inventory(), catalog: try store.catalog(), quotas: try store.quotas(tenant: nil), now: clock())
        try store.insertHistory(history, by: attribution(principal))
        try seedRequests()
        try seedLeases()
        try seedBilling()
        try seedEvents(by: principal)
        return try users.map { user in
            let (_, secret) = try tokens.issueToken(for: user.id, by: principal)
            return DemoLogin(user: user.id.rawValue, roles: user.roles.map(\.rawValue).sorted().joined(separator: ","), token: secret)
        }
    }

    /// Writes the telemetry of the seeded job history that is not written yet: one sample of every
    /// accelerator per hour (`DemoTelemetry`), newest hour first (so `--since 7d` fills first), one
    /// transaction per hour; an hour that already has samples is skipped, so a restart carries on where
    /// the last start stopped, and it stops between two hours when `continuing` says so (a shutdown).
    /// About 220,000 samples, so `DemoWorkload` runs it beside the server rather than before it starts.
    /// Returns the samples written.
    ///
    /// It writes through the store's path for past samples: the telemetry context's `record` refuses samples
    /// older than the minute retention (the hour and day roll-ups are what keeps four weeks; the old minute
    /// rows go with the next retention prune), and it would give them to whatever holds the devices now (the
    /// services and jobs already running). Each sample is credited to the history job that held its device
    /// that hour, and so to its tenant: last month's report ranks tenants and jobs from it, as the pool,
    /// model, node and device curves show it.
    @discardableResult
    public func seedTelemetryHistory(continuing: @Sendable () -> Bool = { true }) throws -> Int {
        let demo = try store.demoSeed()
        let history = try store.jobs(tenant: nil, states: [.succeeded], limit: 1_000_000).compactMap { job in
            job.name.hasSuffix("-history") && demo.users.contains(job.submittedBy) ? job.request.models.first.map { (job: job, model: $0) } : nil
        }
        guard let start = history.compactMap(\.job.startedAt).min(), let end = history.compactMap(\.job.finishedAt).max() else { return 0 }
        let inventory = try store.inventory()
        let telemetry = DemoTelemetry(inventory: inventory, catalog: try store.catalog(), history: history)
        let devices = try store.telemetryDevices(Set(inventory.nodes.flatMap(\.devices).map(\.id)))
        // Hours the retention has already pruned stay pruned: a start months later writes nothing again.
        let kept = max(start, configuration.telemetry.cutoffs(at: clock()).hour)
        var written = 0
        for time in DemoTelemetry.hours(since: kept, until: end).reversed() where continuing() {
            let hour = UtilizationQuery(scope: .reservoir, since: time - 1_800, until: time + 1_800, resolution: .hour)
            guard try store.utilization(hour).isEmpty else { continue }
            written += try store.recordPastSamples(telemetry.samples(at: time), devices: devices, holders: telemetry.holders(at: time))
        }
        return written
    }

    /// The demo member of a demo tenant, if still enabled: the only user the demo acts as.
    func member(of tenant: TenantID, in demo: DemoSeed) throws -> User? {
        try store.users(tenant: tenant).first { demo.users.contains($0.id) && $0.roles.contains(.member) && !$0.isDisabled }
    }

    /// Sample jobs: (name, pool, kind, priority, replicas, gpus, milli, minutes). Training runs long enough
    /// to pass a few checkpoints; the notebooks and dev boxes are the idle test allocations a utilization
    /// view should catch (their load profile is mostly idle).
    static let samples: [(String, String, WorkloadKind, PriorityClass, Int, Int, Int, Double)] = [
        ("llama-finetune", "bj-training", .training, .p2, 1, 8, 1000, 150),
        ("bert-pretrain", "bj-training", .training, .p1, 2, 8, 1000, 180),
        ("resnet-sweep", "bj-testing", .test, .p3, 1, 1, 500, 10),
        ("ranker-serving", "bj-inference", .inference, .p1, 2, 1, 1000, 120),
        ("embedding-batch", "sh-mixed", .batch, .p2, 1, 2, 1000, 20),
        ("notebook", "bj-testing", .test, .p3, 1, 1, 250, 15),
        ("dev-box", "bj-testing", .test, .p3, 1, 1, 1000, 240),
        ("moe-pretrain", "sh-training", .training, .p1, 2, 8, 1000, 240),
    ]

    /// Submits one sample job as a demo member of a demo tenant with quota in the sample's pool, while
    /// fewer than `maxWaiting` jobs wait.
    public func submitSample<G: RandomNumberGenerator>(maxWaiting: Int, using rng: inout G) throws {
        guard try store.jobs(tenant: nil, states: [.queued, .preempted], limit: maxWaiting).count < maxWaiting else { return }
        let sample = Self.samples.randomElement(using: &rng)!
        // Only the tenants and users the demo seeded: never spend an operator-created tenant's quota.
        let demo = try store.demoSeed()
        let active = Set(try store.tenants().filter { demo.tenants.contains($0.id) && !$0.isDisabled }.map(\.id))
        let quotas = try store.quotas(tenant: nil).filter { $0.pool.rawValue == sample.1 && active.contains($0.tenant) }
        guard let tenant = quotas.randomElement(using: &rng)?.tenant, let member = try member(of: tenant, in: demo) else { return }
        let submission = JobSubmission(
            name: sample.0, tenant: nil, pool: sample.1, kind: sample.2, priority: sample.3, preemptible: sample.3 != .p1,
            replicas: sample.4, minMembers: nil, runtimeSeconds: sample.7 * 60 * Double.random(in: 0.5...1.5, using: &rng),
            request: .init(gpus: sample.5, gpuMilli: sample.6, cpuMilli: sample.5 * 8000, memoryMiB: sample.5 * 32_768,
                           models: nil, migProfile: nil, nodeSelector: nil, tolerations: nil))
        _ = try jobs.submit(submission, by: Principal(user: member))
    }
}
