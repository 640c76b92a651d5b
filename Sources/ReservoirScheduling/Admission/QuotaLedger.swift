import ReservoirCore

/// Quota accounting for one cycle: what each tenant uses per pool and model, against its
/// guaranteed amount and limit.
///
/// Rules (Kueue-style cohort lending, per pool and model):
/// 1. A tenant never exceeds its limit.
/// 2. Within its guarantee, a tenant is admitted whenever capacity exists.
/// 3. Above its guarantee it borrows, and may only take capacity that is not owed to other
///    tenants' unused guarantees: after admission, free capacity must still cover
///    Σ over other tenants of max(0, guaranteed − used).
public struct QuotaLedger: Sendable {
    public struct Key: Hashable, Sendable {
        public var tenant: TenantID
        public var pool: PoolID
        public var model: String
    }

    /// Quotas by (tenant, pool, model), `*` included.
    private let quotas: [Key: Quota]
    /// Milli-GPU in use by (tenant, pool, canonical model).
    public private(set) var used: [Key: Int] = [:]

    public init(quotas: [Quota]) {
        var q: [Key: Quota] = [:]
        for quota in quotas { q[Key(tenant: quota.tenant, pool: quota.pool, model: quota.model)] = quota }
        self.quotas = q
    }

    /// The quota that governs `tenant` on `model` in `pool`: a model-specific one wins over `*`.
    public func quota(tenant: TenantID, pool: PoolID, model: String) -> Quota? {
        quotas[Key(tenant: tenant, pool: pool, model: model)] ?? quotas[Key(tenant: tenant, pool: pool, model: Quota.anyModel)]
    }

    /// Usage counted against the governing quota (summed over models for a `*` quota).
    public func usage(tenant: TenantID, pool: PoolID, model: String) -> Int {
        guard let q = quota(tenant: tenant, pool: pool, model: model) else { return 0 }
        if q.model != Quota.anyModel { return used[Key(tenant: tenant, pool: pool, model: model), default: 0] }
        return used.reduce(0) { sum, e in
            e.key.tenant == tenant && e.key.pool == pool && self.quota(tenant: tenant, pool: pool, model: e.key.model)?.model == Quota.anyModel
                ? sum + e.value : sum
        }
    }

    public mutating func charge(tenant: TenantID, pool: PoolID, model: String, milli: Int) {
        used[Key(tenant: tenant, pool: pool, model: model), default: 0] += milli
    }

    /// Why a tenant may not take `milli` more of `model` in `pool`, or nil when it may.
    /// - Parameters:
    ///   - free: free milli of that model in the pool right now.
    ///   - owedToOthers: unused guarantees of other tenants on that model in the pool.
    public func refusal(tenant: TenantID, pool: PoolID, model: String, milli: Int, free: Int, owedToOthers: Int) -> String? {
        guard let q = quota(tenant: tenant, pool: pool, model: model) else {
            return "tenant \(tenant) has no quota for \(model) in pool \(pool)"
        }
        let now = usage(tenant: tenant, pool: pool, model: model)
        if now + milli > q.limitMilli {
            return "tenant \(tenant) would exceed its \(q.model == "*" ? "" : q.model + " ")limit in pool \(pool): "
                + "\(gpus(now)) used + \(gpus(milli)) requested > \(gpus(q.limitMilli)) GPUs"
        }
        let borrowed = max(0, now + milli - max(q.guaranteedMilli, now))
        if borrowed > 0, free - milli < owedToOthers {
            return "tenant \(tenant) is above its guarantee (\(gpus(q.guaranteedMilli)) GPUs) and the free \(model) capacity "
                + "in pool \(pool) is owed to other tenants' guarantees"
        }
        return nil
    }

    /// Σ over tenants other than `tenant` of their unused guarantee on `model` in `pool`.
    public func owedToOthers(than tenant: TenantID, pool: PoolID, model: String, tenants: [TenantID]) -> Int {
        var owed = 0
        for other in tenants where other != tenant {
            guard let q = quota(tenant: other, pool: pool, model: model) else { continue }
            owed += max(0, q.guaranteedMilli - usage(tenant: other, pool: pool, model: model))
        }
        return owed
    }

    private func gpus(_ milli: Int) -> String {
        milli % 1000 == 0 ? "\(milli / 1000)" : "\(Double(milli) / 1000)"
    }
}
