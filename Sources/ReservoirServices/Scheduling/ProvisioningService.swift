import Logging
import ReservoirCore
import ReservoirEngine
import ServiceLifecycle

/// Keeps external engines' own objects in step with Reservoir: for every cluster whose engine can
/// be provisioned (Slurm), priority classes, tenants, the cluster's pools and the quotas on them are
/// (re)applied at start, right after a tenant, quota, grant or inventory change, and every `interval` seconds.
/// The quotas written are those in effect (`quotasInEffect`): a grant raises its tenant's limit on the
/// engine (Slurm GrpTRES) for its window, and the pass after its expiry lowers it again.
/// Every call is idempotent, so a restarted controller or a hand-edited account is repaired on the next
/// pass. With only the simulator there is nothing to provision and a pass does nothing.
public struct ProvisioningService: Service {
    let reservoir: Reservoir
    let interval: Double

    public init(reservoir: Reservoir, interval: Double = 30) {
        self.reservoir = reservoir
        self.interval = interval
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await reservoir.scheduling.provisionEngines()
                await reservoir.runtime.provisioningWakeups.wait(upTo: interval)
            }
        }
    }
}

extension SchedulingContext {
    /// One provisioning pass over every cluster engine that supports it; failures are logged and retried next pass.
    public func provisionEngines() async {
        guard let registry = engine as? EngineRegistry else { return }
        for (cluster, clusterEngine) in registry.clusterEngines {
            guard let provisioning = clusterEngine as? any EngineProvisioning else { continue }
            do {
                let inventory = try store.inventory()
                let pools = inventory.pools.filter { $0.cluster == cluster }
                let poolIDs = Set(pools.map(\.id))
                try await provisioning.ensurePriorityClasses()
                for tenant in try store.tenants() { try await provisioning.ensureTenant(tenant) }
                for pool in pools {
                    try await provisioning.ensurePool(pool, nodes: inventory.nodes.filter { $0.pool == pool.id }.map(\.id))
                }
                for quota in try quotasInEffect() where poolIDs.contains(quota.pool) {
                    try await provisioning.setQuota(quota)
                }
            } catch {
                logger.error("engine provisioning failed", metadata: ["cluster": "\(cluster)", "error": "\(error)"])
            }
        }
    }
}
