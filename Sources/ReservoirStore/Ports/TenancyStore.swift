import ReservoirCore

/// Reads of tenants, users and quotas: what contexts that act for a tenant need.
public protocol TenancyReader: Sendable {
    func tenants() throws -> [Tenant]
    func users(tenant: TenantID?) throws -> [User]
    func quotas(tenant: TenantID?) throws -> [Quota]
    /// A page of tenants by id.
    func tenants(page: PageRequest) throws -> Page<Tenant>
    /// A page of users by id, optionally of one tenant.
    func users(tenant: TenantID?, page: PageRequest) throws -> Page<User>
    /// A page of quotas by tenant, pool and model, optionally of one tenant or pool.
    func quotas(tenant: TenantID?, pool: PoolID?, page: PageRequest) throws -> Page<Quota>
    /// The history of `tenant`'s guaranteed quotas as the audit log holds it (`quota.set`, `quota.delete`),
    /// oldest first: only the changes that created or deleted a quota or changed its guaranteed amount.
    func quotaHistory(tenant: TenantID) throws -> QuotaHistory
}

/// What the audit log says of a tenant's guaranteed quotas over time (`TenancyReader.quotaHistory`).
public struct QuotaHistory: Hashable, Sendable {
    /// One change of a quota's guaranteed amount at `at`: before and after, nil where the quota did not exist.
    public struct Change: Hashable, Sendable {
        public var at: Double
        public var pool: PoolID
        public var model: String
        public var guaranteedBefore: Int?
        public var guaranteedAfter: Int?

        public init(at: Double, pool: PoolID, model: String, guaranteedBefore: Int?, guaranteedAfter: Int?) {
            self.at = at
            self.pool = pool
            self.model = model
            self.guaranteedBefore = guaranteedBefore
            self.guaranteedAfter = guaranteedAfter
        }
    }

    /// When the tenant was created (its `tenant.create` entry); nil when the log does not hold it.
    public var tenantCreatedAt: Double?
    /// Oldest first.
    public var changes: [Change]

    public init(tenantCreatedAt: Double?, changes: [Change]) {
        self.tenantCreatedAt = tenantCreatedAt
        self.changes = changes
    }
}

/// The tenancy context's port: tenants, users and quotas, and retiring them (refused while they hold
/// work that is not finished). Creation is idempotent: the key is stored with the object it created.
public protocol TenancyStore: TenancyReader, IdempotencyStore {
    func createTenant(_ tenant: Tenant, idempotency: IdempotencyKey?, by who: Attribution) throws
    func createUser(_ user: User, idempotency: IdempotencyKey?, by who: Attribution) throws
    func setQuota(_ quota: Quota, by who: Attribution) throws
    @discardableResult
    func setTenantDisabled(_ id: TenantID, _ disabled: Bool, by who: Attribution) throws -> Tenant
    func deleteTenant(_ id: TenantID, by who: Attribution) throws
    @discardableResult
    func setUserDisabled(_ id: UserID, _ disabled: Bool, by who: Attribution) throws -> User
    func deleteUser(_ id: UserID, by who: Attribution) throws
    func deleteQuota(tenant: TenantID, pool: PoolID, model: String, by who: Attribution) throws
}

extension TenancyStore {
    public func createTenant(_ tenant: Tenant, by who: Attribution) throws { try createTenant(tenant, idempotency: nil, by: who) }
    public func createUser(_ user: User, by who: Attribution) throws { try createUser(user, idempotency: nil, by: who) }
}
