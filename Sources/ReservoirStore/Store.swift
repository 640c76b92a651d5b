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
