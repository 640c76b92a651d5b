/// How an approval becomes a grant (SPEC §5.5), as a pure function of the request, the approved terms
/// and the inventory: which pool, which class, which window, and how to reach it on the pool's engine.
/// Auto-approval at intake and a reviewer's approval both draft through here.
public enum GrantDraft {
    /// The class a grant's jobs run in: P0 on the green channel, else by category (L1 and online
    /// services P1, L2 and offline batches P2, research P3).
    public static func priority(_ category: RequestCategory, emergency: Bool) -> PriorityClass {
        if emergency { return .p0 }
        switch category {
        case .largeModel, .online: return .p1
        case .fineTuning, .offlineBatch: return .p2
        case .research: return .p3
        }
    }

    /// The grant for `request` on `terms`. The pool is the asked one; without one, `preferred` (the
    /// feasibility check's choice) when it has the model, else the pool with the most GPUs of the model.
    /// The window opens at the form's `startsAt` (not before `at`) and lasts `terms.durationHours`.
    public static func make(
        for request: AllocationRequest, terms: AllocationTerms, approvedBy: String, at: Double, inventory: Inventory, preferred: PoolID? = nil
    ) throws(ReservoirError) -> Grant {
        let pool = try choosePool(terms, inventory: inventory, preferred: preferred)
        guard let cluster = inventory.pools.first(where: { $0.id == pool }).flatMap({ p in inventory.clusters.first { $0.id == p.cluster } }) else {
            throw ReservoirError(.unsatisfiable, field: "pool", "pool \(pool) belongs to no cluster")
        }
        let category = request.form.category ?? .fineTuning
        let priority = priority(category, emergency: request.form.emergency != nil)
        let startsAt = max(request.form.startsAt ?? at, at)
        let endsAt = terms.durationHours.map { startsAt + $0 * 3_600 }
        let id = request.id.grantID
        let shape = "\(terms.gpus) × \(terms.model ?? "any GPU")"
        let access = GrantAccess(
            engine: cluster.engine.rawValue, account: request.tenant.rawValue, partition: pool.rawValue, qos: priority.rawValue, queue: pool.rawValue,
            instructions: "reservoir submit JOB.yaml --grant \(id): runs on pool \(pool) (\(cluster.engine.rawValue) account \(request.tenant), partition \(pool), class \(priority.rawValue)), up to \(shape)"
                + (endsAt.map { " until \(Int($0)) (Unix seconds)" } ?? ", no fixed term"))
        return Grant(
            id: id, request: request.id, tenant: request.tenant, pool: pool, model: terms.model, gpuMilli: terms.gpus * 1_000, priority: priority,
            category: category, emergency: request.form.emergency, startsAt: startsAt, endsAt: endsAt, estimatedGPUHours: request.estimate?.gpuHours,
            access: access, createdAt: at, approvedBy: approvedBy)
    }

    /// GPUs of each pool, of `model` (every GPU when nil).
    static func gpus(of model: String?, in inventory: Inventory) -> [PoolID: Int] {
        var count: [PoolID: Int] = [:]
        for node in inventory.nodes {
            let n = node.devices.filter { $0.kind != .cpu && (model == nil || $0.model == model) }.count
            if n > 0 { count[node.pool, default: 0] += n }
        }
        return count
    }

    private static func choosePool(_ terms: AllocationTerms, inventory: Inventory, preferred: PoolID?) throws(ReservoirError) -> PoolID {
        if let pool = terms.pool {
            guard inventory.pools.contains(where: { $0.id == pool }) else { throw .notFound("pool", "no pool \(pool)") }
            return pool
        }
        let candidates = gpus(of: terms.model, in: inventory)
        if let preferred, candidates[preferred] != nil { return preferred }
        guard let best = candidates.max(by: { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) })?.key else {
            throw ReservoirError(.unsatisfiable, field: "model", "no pool has \(terms.model ?? "GPUs")")
        }
        return best
    }
}
