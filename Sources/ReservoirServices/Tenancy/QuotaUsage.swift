import ReservoirCore
import ReservoirScheduling

extension TenancyContext {
    /// The caller's quotas with the milli-GPU each has in use now: admitted and running jobs, counted
    /// against the quota that governs them exactly as admission counts them (a model's own quota
    /// before `*`, the node's canonical model), so `quota` shows the numbers the scheduler decides on.
    public func quotasWithUsage(by principal: Principal) throws -> [(quota: Quota, usedMilli: Int)] {
        let quotas = try listQuotas(by: principal)
        let inventory = try store.inventory()
        let catalog = try store.catalog()
        let modelOf = Dictionary(uniqueKeysWithValues: inventory.nodes.map { node in
            (node.id, node.gpuModel.map { catalog.canonicalName($0) ?? $0 } ?? "")
        })
        var ledger = QuotaLedger(quotas: quotas)
        for job in try store.jobs(tenant: try access.tenantFilter(principal, .readQuotas), states: [.admitted, .running], limit: 1_000_000) {
            guard let pool = job.pool else { continue }
            for p in job.placements where p.gpuMilli > 0 {
                ledger.charge(tenant: job.tenant, pool: pool, model: modelOf[p.node] ?? "", milli: p.gpuMilli * p.deviceIndices.count)
            }
        }
        return quotas.map { q in (q, ledger.slot(tenant: q.tenant, pool: q.pool, model: q.model).map(ledger.usage(slot:)) ?? 0) }
    }
}
