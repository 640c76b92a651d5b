import ReservoirCore
import ReservoirEngine
import ReservoirStore

extension MeteringContext {
    /// Reservoir's sessions against the accounting of every engine that keeps its own (Slurm's `sacct`,
    /// `EngineProvisioning.usage(since:)`), over `[since, until)`: per job, the GPU-seconds on both sides
    /// and each job where they disagree beyond the tolerance (`UsageReconciliation`). Only jobs of those
    /// engines' pools are compared; with no such engine the report is empty and says why. Operators and
    /// finance (usage of every tenant).
    public func reconcileUsage(since: Double, until: Double?, by principal: Principal) async throws -> UsageReconciliationReport {
        try access.require(principal, .readUsage, tenant: nil)
        let now = clock()
        let end = until ?? now
        guard since <= end else { throw ReservoirError.invalid("since", "must not be after until") }
        let accounting = accountingEngines()
        guard !accounting.isEmpty else {
            return UsageReconciliation().compare(sessions: [], accounted: [], since: since, until: end, now: now, clusters: [])
        }
        let inventory = try store.inventory()
        var pools: Set<PoolID> = []
        var accounted: [EngineUsageRecord] = []
        for (cluster, engine) in accounting {
            pools.formUnion(inventory.pools.filter { cluster == nil || $0.cluster == cluster }.map(\.id))
            do {
                accounted += try await engine.usage(since: since).filter { $0.startedAt < end }
            } catch {
                throw ReservoirError(.unavailable, "the accounting of cluster \(cluster?.rawValue ?? "-") could not be read: \(error)")
            }
        }
        let sessions = try store.usageSessions(tenant: nil, since: since, until: end).filter { $0.pool.map(pools.contains) ?? false }
        return UsageReconciliation().compare(
            sessions: sessions, accounted: accounted, since: since, until: end, now: now, clusters: accounting.map { $0.cluster?.rawValue ?? "-" })
    }

    /// The engines that keep their own accounting, by cluster (nil: the one engine of a reservoir without a registry).
    private func accountingEngines() -> [(cluster: ClusterID?, engine: any EngineProvisioning)] {
        if let registry = engine as? EngineRegistry {
            return registry.clusterEngines.compactMap { entry in (entry.engine as? any EngineProvisioning).map { (entry.cluster, $0) } }
        }
        return (engine as? any EngineProvisioning).map { [(nil, $0)] } ?? []
    }
}
