import ReservoirCore
import ReservoirScheduling

extension TenancyContext {
    /// A page of the caller's quotas (of one tenant or pool when asked) with the milli-GPU each has in use
    /// now: admitted and running jobs, counted against the quota that governs them exactly as admission
    /// counts them (a model's own quota before `*`, the node's canonical model), so `quota` shows the
    /// numbers the scheduler decides on. The ledger holds all the tenant's quotas (a handful per tenant),
    /// so a charge lands on the quota that governs it whichever page that quota is on. The quotas shown are
    /// those in effect: raised by the tenant's grants inside their windows (`Grant.effectiveQuotas`), as
    /// the scheduler admits against them; the page is cut from them by (tenant, pool, model).
    public func quotasWithUsage(tenant: TenantID?, pool: PoolID?, page: PageRequest, by principal: Principal) throws -> Page<(quota: Quota, usedMilli: Int)> {
        let tenant = try access.listedTenant(asked: tenant, principal, .readQuotas)
        let stored = try store.quotas(tenant: tenant)
        let quotas = try (grants?.quotasInEffect(stored) ?? stored).filter { tenant == nil || $0.tenant == tenant }
        let key = { (q: Quota) in [q.tenant.rawValue, q.pool.rawValue, q.model] }
        let listed = Page(sorted: quotas.filter { pool == nil || $0.pool == pool }.sorted { key($0).lexicographicallyPrecedes(key($1)) }, by: key, for: page)
        let inventory = try store.inventory()
        let catalog = try store.catalog()
        let modelOf = Dictionary(uniqueKeysWithValues: inventory.nodes.map { node in
            (node.id, node.gpuModel.map { catalog.canonicalName($0) ?? $0 } ?? "")
        })
        var ledger = QuotaLedger(quotas: quotas)
        for job in try jobView.unfinished(store).active where tenant == nil || job.tenant == tenant {
            guard let pool = job.pool else { continue }
            for p in job.placements where p.gpuMilli > 0 {
                ledger.charge(tenant: job.tenant, pool: pool, model: modelOf[p.node] ?? "", milli: p.gpuMilli * p.deviceIndices.count)
            }
        }
        return listed.map { q in (q, ledger.slot(tenant: q.tenant, pool: q.pool, model: q.model).map(ledger.usage(slot:)) ?? 0) }
    }
}
