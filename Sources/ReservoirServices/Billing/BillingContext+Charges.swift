import ReservoirCore
import ReservoirStore

extension BillingContext {
    /// What `tenant`'s usage of `month` costs as it stands now: the invoice computed from the month's
    /// sessions (open ones up to now), the price versions and the capacity reserved for the tenant.
    /// For the contexts that build on it (invoices, balances, showback, the report), which check access.
    public func charges(tenant: TenantID, month: ReportMonth, byProject: Bool = false) throws -> Invoice {
        let sessions = try store.usageSessions(tenant: tenant, since: month.since, until: month.until)
        return try calculator().invoice(
            tenant: tenant, month: month, sessions: sessions, reserved: try reserved(tenant: tenant, month: month), now: clock(), byProject: byProject)
    }

    /// `charges` for a caller allowed to read `tenant`'s billing.
    public func charges(tenant: TenantID, month: ReportMonth, by principal: Principal) throws -> Invoice {
        try access.require(principal, .readBilling, tenant: tenant, field: "tenant")
        return try charges(tenant: tenant, month: month)
    }

    /// Capacity held for `tenant` during `month`: its guaranteed quotas over the parts of the month each
    /// amount was in force (`quotaPieces`), and its grants over their windows, a grant returned or reclaimed
    /// early ending at its reclamation. A quota or grant for any model counts as the pool's most common model.
    public func reserved(tenant: TenantID, month: ReportMonth) throws -> [ReservedCapacity] {
        let inventory = try store.inventory()
        let mainModel = Self.mainModels(inventory)
        var held: [ReservedCapacity] = []
        let pieces = Self.quotaPieces(current: try store.quotas(tenant: tenant), history: try store.quotaHistory(tenant: tenant))
        for piece in pieces where piece.guaranteedMilli > 0 && piece.from < month.until && piece.until > month.since {
            guard let model = piece.model == Quota.anyModel ? mainModel[piece.pool] : piece.model else { continue }
            held.append(ReservedCapacity(
                tenant: tenant, pool: piece.pool, model: model, gpuMilli: piece.guaranteedMilli,
                from: max(piece.from, month.since), until: min(piece.until, month.until)))
        }
        let grants = try allGrants(of: tenant).filter { $0.startsAt < month.until && ($0.endsAt ?? .infinity) > month.since }
        let endedEarly = try reclaimedAt(tenant: tenant, since: grants.map(\.startsAt).min() ?? month.since, until: month.until)
        for grant in grants where grant.gpuMilli > 0 {
            guard let model = grant.model ?? mainModel[grant.pool] else { continue }
            let early = grant.state == .returned || grant.state == .reclaimed ? endedEarly[grant.id.rawValue] : nil
            let end = min(grant.endsAt ?? .infinity, early ?? .infinity, month.until)
            let project = try store.request(grant.request)?.form.project
            held.append(ReservedCapacity(tenant: tenant, pool: grant.pool, model: model, gpuMilli: grant.gpuMilli, project: project, from: grant.startsAt, until: end))
        }
        return held
    }

    /// One guaranteed amount of one quota and when it was in force, `[from, until)`.
    struct QuotaPiece: Hashable {
        var pool: PoolID
        var model: String
        var guaranteedMilli: Int
        var from: Double
        var until: Double
    }

    /// The guaranteed quotas' timeline, rebuilt from the audit log: each quota from its creation
    /// (`quota.set`), one piece per guaranteed amount, to its deletion or on (`.infinity`). A quota the log
    /// holds no creation of (written before the log, so not by Reservoir's own writes) is taken to have
    /// held its first known amount — its amount before its oldest change, or today's when it has none —
    /// since the tenant's creation, or since ever when that too is missing.
    static func quotaPieces(current: [Quota], history: QuotaHistory) -> [QuotaPiece] {
        struct Key: Hashable { let pool: PoolID, model: String }
        let origin = history.tenantCreatedAt ?? -.infinity
        var changes: [Key: [QuotaHistory.Change]] = [:]
        for change in history.changes { changes[Key(pool: change.pool, model: change.model), default: []].append(change) }
        for quota in current where changes[Key(pool: quota.pool, model: quota.model)] == nil {
            changes[Key(pool: quota.pool, model: quota.model)] = []
        }
        let today = Dictionary(current.map { (Key(pool: $0.pool, model: $0.model), $0.guaranteedMilli) }, uniquingKeysWith: { a, _ in a })
        var pieces: [QuotaPiece] = []
        for (key, list) in changes {
            var amount = list.first.map(\.guaranteedBefore) ?? today[key]
            var since = origin
            for change in list {
                if let amount, since < change.at { pieces.append(QuotaPiece(pool: key.pool, model: key.model, guaranteedMilli: amount, from: since, until: change.at)) }
                amount = change.guaranteedAfter
                since = change.at
            }
            if let amount { pieces.append(QuotaPiece(pool: key.pool, model: key.model, guaranteedMilli: amount, from: since, until: .infinity)) }
        }
        return pieces.sorted { ($0.pool.rawValue, $0.model, $0.from) < ($1.pool.rawValue, $1.model, $1.from) }
    }

    /// The model most devices of each pool are (ties: the first name), for capacity held for any model.
    static func mainModels(_ inventory: Inventory) -> [PoolID: String] {
        var counts: [PoolID: [String: Int]] = [:]
        for node in inventory.nodes {
            for device in node.devices where device.kind != .cpu { counts[node.pool, default: [:]][device.model, default: 0] += 1 }
        }
        return counts.compactMapValues { models in models.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key }
    }

    private func allGrants(of tenant: TenantID) throws -> [Grant] {
        try Page.all { try store.grants(tenant: tenant, state: nil, page: $0) }
    }

    /// When each grant of `tenant` reclaimed or returned in `[since, until)` was taken back, by grant id.
    private func reclaimedAt(tenant: TenantID, since: Double, until: Double) throws -> [String: Double] {
        var at: [String: Double] = [:]
        for record in try Page.all({ try store.reclamations(since: since, until: until, tenant: tenant, page: $0) }) where record.kind == .grant {
            at[record.object] = min(at[record.object] ?? .infinity, record.at)
        }
        return at
    }
}
