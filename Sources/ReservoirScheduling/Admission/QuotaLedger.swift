import ReservoirCore

/// Quota accounting for one cycle: what each tenant uses per pool and model, against its
/// guaranteed amount and limit.
///
/// Rules (Kueue-style cohort lending, per pool and model):
/// 1. A tenant never exceeds its limit.
/// 2. Within its guarantee, a tenant is admitted whenever capacity exists.
/// 3. Above its guarantee it borrows. Non-preemptible work may only take capacity that is not
///    owed to other tenants' unused guarantees: after admission, free capacity must still cover
///    Σ over other tenants of max(0, guaranteed − used). Preemptible work may also borrow idle
///    guaranteed capacity, because the owner can take it back by preemption (reclaim).
///
/// Example: pool of 16 GPUs, A guaranteed 8 (uses 0), B guaranteed 4 limit 16 (uses 4). A
/// non-preemptible 4-GPU job of B is refused (12 free − 4 < 8 owed to A); a preemptible one is
/// admitted as a borrower, and is the first victim when A's job needs its 8 back.
public struct QuotaLedger: Sendable {
    public struct Key: Hashable, Sendable {
        public var tenant: TenantID
        public var pool: PoolID
        public var model: String
    }

    /// Each quota's slot by its (tenant, pool, model), `*` included.
    private let slots: [Key: Int]
    /// The quotas, by slot.
    private let quotaBySlot: [Quota]
    /// Milli-GPU in use by (tenant, pool, canonical model).
    public private(set) var used: [Key: Int] = [:]
    /// Milli-GPU in use per governing quota (a `*` quota sums its models), by slot, kept in step with `used`.
    private var governed: [Int]
    /// Bumped on every charge, so admission answers can be cached per version.
    public private(set) var version = 0

    public init(quotas: [Quota]) {
        var q: [Key: Quota] = [:]
        for quota in quotas { q[Key(tenant: quota.tenant, pool: quota.pool, model: quota.model)] = quota }
        var slots: [Key: Int] = [:]
        var bySlot: [Quota] = []
        for (key, quota) in q.sorted(by: { ($0.key.tenant, $0.key.pool, $0.key.model) < ($1.key.tenant, $1.key.pool, $1.key.model) }) {
            slots[key] = bySlot.count
            bySlot.append(quota)
        }
        self.slots = slots
        quotaBySlot = bySlot
        governed = Array(repeating: 0, count: bySlot.count)
    }

    /// The slot of the quota that governs `tenant` on `model` in `pool`: a model-specific one wins
    /// over `*`. Resolve once and use the slot-based reads on hot paths (admission).
    public func slot(tenant: TenantID, pool: PoolID, model: String) -> Int? {
        slots[Key(tenant: tenant, pool: pool, model: model)] ?? slots[Key(tenant: tenant, pool: pool, model: Quota.anyModel)]
    }

    /// The quota of a slot.
    public func quota(slot: Int) -> Quota { quotaBySlot[slot] }

    /// Usage counted against the quota of a slot. O(1), no hashing.
    public func usage(slot: Int) -> Int { governed[slot] }

    /// The quota that governs `tenant` on `model` in `pool`: a model-specific one wins over `*`.
    public func quota(tenant: TenantID, pool: PoolID, model: String) -> Quota? {
        slot(tenant: tenant, pool: pool, model: model).map { quotaBySlot[$0] }
    }

    /// Usage counted against the governing quota (summed over models for a `*` quota). O(1).
    public func usage(tenant: TenantID, pool: PoolID, model: String) -> Int {
        slot(tenant: tenant, pool: pool, model: model).map { governed[$0] } ?? 0
    }

    /// Adds (or with a negative amount, removes) usage.
    public mutating func charge(tenant: TenantID, pool: PoolID, model: String, milli: Int) {
        used[Key(tenant: tenant, pool: pool, model: model), default: 0] += milli
        version &+= 1
        if let s = slot(tenant: tenant, pool: pool, model: model) { governed[s] += milli }
    }

    /// Whether the tenant uses more than its guarantee on `model` in `pool` (it is a borrower there).
    /// Tenants without a quota there count as borrowers: nothing is guaranteed to them.
    public func isBorrowing(tenant: TenantID, pool: PoolID, model: String) -> Bool {
        guard let q = quota(tenant: tenant, pool: pool, model: model) else { return true }
        return usage(tenant: tenant, pool: pool, model: model) > q.guaranteedMilli
    }

    /// Whether taking `milli` more keeps the tenant within its guarantee.
    public func staysWithinGuarantee(tenant: TenantID, pool: PoolID, model: String, milli: Int) -> Bool {
        guard let q = quota(tenant: tenant, pool: pool, model: model) else { return false }
        return usage(tenant: tenant, pool: pool, model: model) + milli <= q.guaranteedMilli
    }

    /// Σ of the guarantees of a tenant over all its quotas (the `capacity` queue policy's denominator).
    public func totalGuaranteed(tenant: TenantID) -> Int {
        quotaBySlot.reduce(0) { $1.tenant == tenant ? $0 + $1.guaranteedMilli : $0 }
    }

    /// Why a tenant may not take `milli` more of `model` in `pool`, or nil when it may.
    /// - Parameters:
    ///   - free: free milli of that model in the pool right now.
    ///   - owedToOthers: unused guarantees of other tenants on that model in the pool.
    ///   - preemptible: preemptible work may borrow capacity owed to others (it can be reclaimed).
    public func refusal(
        tenant: TenantID, pool: PoolID, model: String, milli: Int, free: Int, owedToOthers: Int, preemptible: Bool = false
    ) -> String? {
        refusal(slot: slot(tenant: tenant, pool: pool, model: model), tenant: tenant, pool: pool, model: model, milli: milli,
                free: free, owedToOthers: owedToOthers, preemptible: preemptible)
    }

    /// `refusal` with the governing quota's slot already resolved (nil: no quota).
    public func refusal(
        slot: Int?, tenant: TenantID, pool: PoolID, model: String, milli: Int, free: Int, owedToOthers: Int, preemptible: Bool
    ) -> String? {
        guard let slot else {
            return "tenant \(tenant) has no quota for \(model) in pool \(pool)"
        }
        let q = quotaBySlot[slot]
        let now = governed[slot]
        // More than the whole limit: only raising the quota lets it start (a `*` quota governs every model alike).
        if milli > q.limitMilli {
            let on = q.model == Quota.anyModel ? "" : " on \(q.model)"
            return "can never run\(on) unless tenant \(tenant)'s\(on.isEmpty ? "" : " " + q.model) limit in pool \(pool) is raised: "
                + "it needs \(gpus(milli)) GPUs at once, the limit is \(gpus(q.limitMilli))"
        }
        if now + milli > q.limitMilli {
            return "tenant \(tenant) would exceed its \(q.model == "*" ? "" : q.model + " ")limit in pool \(pool): "
                + "\(gpus(now)) used + \(gpus(milli)) requested > \(gpus(q.limitMilli)) GPUs"
        }
        let borrowed = max(0, now + milli - max(q.guaranteedMilli, now))
        // Only a debt to others is a quota matter; with nothing owed, too little free capacity is a capacity
        // problem (which preempting lower classes, even the tenant's own borrowers, may solve).
        if borrowed > 0, !preemptible, owedToOthers > 0, free - milli < owedToOthers {
            return "tenant \(tenant) is above its guarantee (\(gpus(q.guaranteedMilli)) GPUs) and the free \(model) capacity "
                + "in pool \(pool) is owed to other tenants' guarantees (only preemptible work may borrow it)"
        }
        return nil
    }

    /// Σ over tenants other than `tenant` of their unused guarantee on `model` in `pool`.
    public func owedToOthers(than tenant: TenantID, pool: PoolID, model: String, tenants: [TenantID]) -> Int {
        var owed = 0
        for other in tenants where other != tenant {
            guard let s = slot(tenant: other, pool: pool, model: model) else { continue }
            owed += max(0, quotaBySlot[s].guaranteedMilli - governed[s])
        }
        return owed
    }

    /// `owedToOthers` with every tenant's slot on the model resolved (`slots[k]` for `tenants[k]`),
    /// skipping the asking tenant's index.
    public func owedToOthers(skipping asker: Int?, slots: [Int?]) -> Int {
        var owed = 0
        for k in slots.indices where k != asker {
            guard let s = slots[k] else { continue }
            owed += max(0, quotaBySlot[s].guaranteedMilli - governed[s])
        }
        return owed
    }

    private func gpus(_ milli: Int) -> String {
        milli % 1000 == 0 ? "\(milli / 1000)" : "\(Double(milli) / 1000)"
    }
}
