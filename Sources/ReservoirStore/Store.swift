import ReservoirCore

/// The transactions Reservoir needs, in domain terms. Every write takes an `Attribution` and
/// commits the change together with its audit entry; nothing is acknowledged before it is durable.
/// `SQLiteStore` (GRDB) implements it; tests use the same type on an in-memory database.
public protocol Store: Sendable {
    // Inventory and catalog
    func upsertInventory(_ inventory: Inventory, by who: Attribution) throws
    func updateNode(_ id: NodeID, by who: Attribution, _ change: (inout Node) throws -> Void) throws -> Node
    func inventory() throws -> Inventory
    func catalog() throws -> GPUCatalog
    func upsertCatalogModel(_ model: GPUModel, by who: Attribution) throws

    // Tenancy
    func tenants() throws -> [Tenant]
    func users(tenant: TenantID?) throws -> [User]
    func createToken(id: TokenID, user: UserID, hash: String, expiresAt: Double?, by who: Attribution) throws
    func tokens(user: UserID?) throws -> [TokenInfo]
    func revokeToken(_ id: TokenID, by who: Attribution) throws
    func credential(forTokenHash hash: String) throws -> Credential?
    func touchToken(_ id: TokenID, at: Double) throws
    func setQuota(_ quota: Quota, by who: Attribution) throws
    func quotas(tenant: TenantID?) throws -> [Quota]

    // Day two: retiring tenants, users and quotas (refused while they hold work that is not finished)
    @discardableResult
    func setTenantDisabled(_ id: TenantID, _ disabled: Bool, by who: Attribution) throws -> Tenant
    func deleteTenant(_ id: TenantID, by who: Attribution) throws
    @discardableResult
    func setUserDisabled(_ id: UserID, _ disabled: Bool, by who: Attribution) throws -> User
    func deleteUser(_ id: UserID, by who: Attribution) throws
    func deleteQuota(tenant: TenantID, pool: PoolID, model: String, by who: Attribution) throws

    // Idempotent creation: the key is stored with the object it created, in the same transaction
    func createTenant(_ tenant: Tenant, idempotency: IdempotencyKey?, by who: Attribution) throws
    func createUser(_ user: User, idempotency: IdempotencyKey?, by who: Attribution) throws
    func insertJob(_ job: Job, idempotency: IdempotencyKey?, by who: Attribution) throws -> Job
    /// What an earlier request with this key created, if any.
    func idempotentResult(actor: String, key: String) throws -> IdempotentResult?

    // Demo
    /// Remembers which tenants and users the demo seeded, so the demo never acts for anyone else.
    func markDemo(tenants: [TenantID], users: [UserID]) throws
    func demoSeed() throws -> DemoSeed
    /// Adds finished jobs (and their usage sessions) in one transaction with one audit entry: seeded history.
    func insertHistory(_ jobs: [(job: Job, model: String)], by who: Attribution) throws

    // Jobs
    func applyCycle(decisions: [(job: JobID, placements: [ReplicaPlacement], rationale: String)], waiting: [JobID: PendingReason], by who: Attribution) throws -> [Job]
    @discardableResult
    func transitionJob(_ id: JobID, to state: JobState, by who: Attribution, message: String, change: (inout Job) -> Void) throws -> Job
    /// `transitionJob`, only if the job is still in one of `states` (checked in the same transaction);
    /// nil, with nothing written, when it is not: a repeated or stale engine event is then a no-op.
    @discardableResult
    func transitionJob(_ id: JobID, from states: Set<JobState>, to state: JobState, by who: Attribution, message: String, change: (inout Job) -> Void) throws -> Job?
    @discardableResult
    func updateJob(_ id: JobID, action: String, by who: Attribution, change: (inout Job) throws -> Void) throws -> Job
    @discardableResult
    func resizeJob(_ id: JobID, replicas: Int, placements: [ReplicaPlacement], reason: String, by who: Attribution) throws -> Job
    func job(_ id: JobID) throws -> Job?
    /// Jobs newest first, optionally of one tenant, in some states, submitted at or after `since`.
    func jobs(tenant: TenantID?, states: Set<JobState>?, since: Double?, limit: Int) throws -> [Job]
    /// How many jobs `jobs` would list without its limit (so a list can say "100 of 139").
    func countJobs(tenant: TenantID?, states: Set<JobState>?, since: Double?) throws -> Int
    func decisions(job: JobID) throws -> [DecisionRecord]
    func events(job: JobID) throws -> [JobEvent]
    func deviceBookings() throws -> [DeviceID: Int]

    // Metering
    func usageSessions(tenant: TenantID?, since: Double, until: Double) throws -> [UsageSession]

    // Forecasts
    func saveForecast(_ record: ForecastRecord, by who: Attribution) throws
    func forecastRecords(limit: Int) throws -> [ForecastRecord]

    /// This database's random id, fixed when it was created; tags jobs sent to external engines.
    func instanceID() throws -> String

    // Audit
    /// Records something done outside the store (an engine repair after a crash) so it is attributed too.
    func recordAudit<Detail: Encodable>(action: String, object: String, tenant: TenantID?, detail: Detail, by who: Attribution) throws
    /// Audit entries newest first, optionally about one object (and its children), of one tenant, at or after `since`.
    func auditEntries(object: String?, tenant: TenantID?, since: Double?, limit: Int) throws -> [AuditEntry]

    // Pages of the lists, by key: a page resumes after its cursor and reads no more than its rows.
    // A cursor of another list is an `invalid_argument` naming `cursor`.
    /// Jobs newest first.
    func jobs(_ filter: JobListFilter, page: PageRequest) throws -> Page<Job>
    /// How many jobs match the filter, over all pages (so a list can say "100 of 139").
    func countJobs(_ filter: JobListFilter) throws -> Int
    /// A job's events, oldest first.
    func events(job: JobID, page: PageRequest) throws -> Page<JobEvent>
    /// Audit entries newest first.
    func auditEntries(_ filter: AuditListFilter, page: PageRequest) throws -> Page<AuditEntry>
    /// Tenants by id.
    func tenants(page: PageRequest) throws -> Page<Tenant>
    /// Users by id, optionally of one tenant.
    func users(tenant: TenantID?, page: PageRequest) throws -> Page<User>
    /// Tokens oldest first, optionally of one user.
    func tokens(user: UserID?, page: PageRequest) throws -> Page<TokenInfo>
    /// Quotas by tenant, pool and model, optionally of one tenant or pool.
    func quotas(tenant: TenantID?, pool: PoolID?, page: PageRequest) throws -> Page<Quota>
    /// Nodes by id, optionally of one pool or in one state.
    func nodes(pool: PoolID?, state: NodeState?, page: PageRequest) throws -> Page<Node>
    /// Forecasts newest first.
    func forecastRecords(page: PageRequest) throws -> Page<ForecastRecord>
    /// Usage sessions that ended in `[since, until)`, oldest first, optionally of one tenant.
    func usageSessions(tenant: TenantID?, since: Double, until: Double, page: PageRequest) throws -> Page<UsageSession>
    /// GPU-seconds per tenant and model of the sessions that ended in `[since, until)`, summed in the database.
    func usageTotals(tenant: TenantID?, since: Double, until: Double) throws -> [UsageTotal]
}

extension Store {
    public func jobs(tenant: TenantID?, states: Set<JobState>?, limit: Int) throws -> [Job] {
        try jobs(tenant: tenant, states: states, since: nil, limit: limit)
    }

    public func auditEntries(object: String?, tenant: TenantID?, limit: Int) throws -> [AuditEntry] {
        try auditEntries(object: object, tenant: tenant, since: nil, limit: limit)
    }
}

extension Store {
    public func createTenant(_ tenant: Tenant, by who: Attribution) throws { try createTenant(tenant, idempotency: nil, by: who) }
    public func createUser(_ user: User, by who: Attribution) throws { try createUser(user, idempotency: nil, by: who) }
    public func insertJob(_ job: Job, by who: Attribution) throws -> Job { try insertJob(job, idempotency: nil, by: who) }
}
