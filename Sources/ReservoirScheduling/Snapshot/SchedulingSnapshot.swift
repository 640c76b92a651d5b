import ReservoirCore

/// Everything one scheduling cycle reads, taken at one instant. The cycle never looks elsewhere:
/// no store, no clock (`now` arrives here), no engine.
public struct SchedulingSnapshot: Sendable {
    public var now: Double
    public var pools: [Pool]
    public var nodes: [Node]
    public var tenants: [Tenant]
    public var quotas: [Quota]
    /// Jobs that hold devices (admitted or running), with their placements.
    public var active: [Job]
    /// Jobs waiting for the scheduler (queued or preempted).
    public var pending: [Job]
    public var catalog: GPUCatalog

    public init(
        now: Double, pools: [Pool], nodes: [Node], tenants: [Tenant], quotas: [Quota], active: [Job], pending: [Job],
        catalog: GPUCatalog = .standard
    ) {
        self.now = now
        self.pools = pools
        self.nodes = nodes
        self.tenants = tenants
        self.quotas = quotas
        self.active = active
        self.pending = pending
        self.catalog = catalog
    }
}
