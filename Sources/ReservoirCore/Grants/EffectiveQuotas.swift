extension Grant {
    /// The quotas in effect at `time`: the stored quotas raised by every grant that admits work then
    /// (`admits(at:)`: active and inside its window). The scheduler admits against these, provisioning
    /// writes them to the engine (Slurm GrpTRES) and quota views count usage against them, so a grant
    /// is nothing but a time-boxed raise of its tenant's quota — one rule for all three readers.
    ///
    /// A grant raises both the guarantee and the limit by its GPUs (it is promised capacity, not a
    /// borrowing allowance). Which quota it raises:
    /// - a grant on model M, where the tenant holds an M quota in the pool: that quota;
    /// - a grant on model M, where the tenant holds only a `*` quota there: the `*` quota. Creating an
    ///   M quota instead would take M work out of the `*` quota (a model's own quota wins over `*`) and
    ///   let the tenant hold its whole `*` limit on other models beside it; raising `*` keeps the total
    ///   exact. That the extra GPUs are M is enforced where jobs are submitted under the grant;
    /// - a grant on model M, where the tenant holds no quota in the pool: a new M quota of the grant's size;
    /// - a grant on any model (`model` nil): the `*` quota, created when absent.
    ///
    /// Several grants on one quota add up. Example: tenant `nlp` holds `*` 8/16 GPUs in pool `train`;
    /// an active 4-GPU H100 grant there makes it `*` 12/20 until the grant's `endsAt`, then 8/16 again.
    public static func effectiveQuotas(base: [Quota], grants: [Grant], at time: Double) -> [Quota] {
        var quotas = base
        var index: [QuotaKey: Int] = [:]
        for (i, quota) in quotas.enumerated() { index[QuotaKey(quota.tenant, quota.pool, quota.model)] = i }
        for grant in grants where grant.admits(at: time) {
            let own = grant.model.map { QuotaKey(grant.tenant, grant.pool, $0) }
            let any = QuotaKey(grant.tenant, grant.pool, Quota.anyModel)
            let key = own.flatMap { index[$0] != nil ? $0 : nil } ?? (index[any] != nil ? any : own ?? any)
            if let i = index[key] {
                quotas[i].guaranteedMilli += grant.gpuMilli
                quotas[i].limitMilli += grant.gpuMilli
            } else {
                index[key] = quotas.count
                quotas.append(Quota(tenant: grant.tenant, pool: grant.pool, model: key.model, guaranteedMilli: grant.gpuMilli, limitMilli: grant.gpuMilli))
            }
        }
        return quotas
    }
}

/// A quota's identity: one per tenant, pool and model (`*` included).
private struct QuotaKey: Hashable {
    let tenant: TenantID
    let pool: PoolID
    let model: String

    init(_ tenant: TenantID, _ pool: PoolID, _ model: String) {
        self.tenant = tenant
        self.pool = pool
        self.model = model
    }
}
