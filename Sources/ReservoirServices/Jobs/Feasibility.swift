import ReservoirCore
import ReservoirPlacement
import ReservoirScheduling

/// Submission-time checks against the inventory and the tenant's quota: a job that could never
/// run is refused at once (422 naming what limits it) rather than left waiting forever.
///
/// Capacity is counted on empty nodes (failed devices left out): what could ever be, not what is free.
struct Feasibility {
    let job: Job
    let pool: Pool
    /// What the pool offers a replica of the job's request shape, computed once per inventory generation.
    let fit: PoolFit

    /// `memo` keeps each request shape's `PoolFit` while the inventory and catalog are at `generation`
    /// (read before `inventory` and `catalog`): counting over every node and device of the pool (1,213
    /// nodes and 9,704 devices on openb) was most of a submission's CPU, and most submissions share a shape.
    init(_ job: Job, pool: Pool, inventory: Inventory, catalog: GPUCatalog, memo: PoolFitMemo, generation: Int64) {
        self.job = job
        self.pool = pool
        self.fit = memo.fit(pool: pool.id, request: job.request, generation: generation) {
            PoolFit(request: job.request, pool: pool, inventory: inventory, catalog: catalog)
        }
    }

    private var r: ResourceRequest { job.request }

    /// Refuses what the pool's sharing mode never runs, a replica no node could hold (naming the
    /// limiting resource and the largest value there), and a gang larger than the whole pool.
    func require() throws {
        if let refusal = pool.sharing.refusal(of: r, pool: pool.id) {
            throw ReservoirError(.unsatisfiable, field: "request", refusal)
        }
        if let limiting = fit.limiting {
            throw ReservoirError(.unsatisfiable, field: "request", "can never run: " + limiting)
        }
        let most = fit.perNode.reduce(0) { $0 + min($1, job.minMembers) }
        if most < job.minMembers {
            throw ReservoirError(
                .unsatisfiable, field: "minMembers",
                "can never run: a gang of \(job.minMembers) replicas must start together, and all of pool \(pool.id) holds at most \(most) such replicas at once")
        }
    }

    /// Refuses a GPU gang larger than the tenant's limit on every model it may use in the pool
    /// (or with no quota there at all): quotas can be raised, but until then it would wait forever.
    func requireWithinLimit(quotas: [Quota]) throws {
        guard r.gpus > 0 else { return }
        let ledger = QuotaLedger(quotas: quotas.filter { $0.tenant == job.tenant && $0.pool == pool.id })
        let milli = job.minMembers * r.totalGPUMilli
        var limits: [String] = []
        for model in fit.models.sorted() {
            guard let q = ledger.quota(tenant: job.tenant, pool: pool.id, model: model) else { continue }
            if q.limitMilli >= milli { return }
            limits.append("\(units(q.limitMilli)) GPUs" + (q.model == Quota.anyModel ? "" : " of \(q.model)"))
        }
        let needs = "it needs \(units(milli)) GPUs at once"
            + (job.minMembers > 1 ? " (a gang of \(job.minMembers) × \(units(r.totalGPUMilli)))" : "")
        guard !limits.isEmpty else {
            throw ReservoirError(.unsatisfiable, field: "request", "tenant \(job.tenant) has no quota in pool \(pool.id); \(needs)")
        }
        throw ReservoirError(
            .unsatisfiable, field: "request",
            "\(needs), above tenant \(job.tenant)'s limit in pool \(pool.id): \(Array(Set(limits)).sorted().joined(separator: ", "))")
    }

    /// Milli-units (CPU cores, GPUs) as a plain number of units.
    static func units(_ milli: Int) -> String { milli % 1000 == 0 ? "\(milli / 1000)" : "\(Double(milli) / 1000)" }

    private func units(_ milli: Int) -> String { Self.units(milli) }
}
