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
    /// Active jobs already evicted and inside their grace period: they still hold their devices,
    /// are never chosen as victims again, and backfill expects them gone when the grace ends.
    public var terminating: Set<JobID>
    /// Mean runtime in seconds of each tenant's finished jobs: the backfill estimate for jobs that
    /// declare no `runtimeSeconds`.
    public var runtimeHistory: [TenantID: Double]
    /// Pools whose engine cannot resize a running job (Slurm): their elastic jobs are never grown or
    /// shrunk; preemption evicts them whole.
    public var fixedSizePools: Set<PoolID>
    /// Each profiled device's class (`ProfileBuilder`), for profile matching; empty: matching by the
    /// catalog's figures alone.
    public var deviceClasses: [DeviceID: DeviceClass]
    /// Devices whose profile flags recent faults: profile matching scores their nodes down.
    public var unreliableDevices: Set<DeviceID>
    /// Predicted runtime (seconds) of jobs that declare none, from their history (`RuntimePredictor`):
    /// backfill's estimate before the tenant's mean.
    public var predictedRuntimes: [JobID: Double]

    public init(
        now: Double, pools: [Pool], nodes: [Node], tenants: [Tenant], quotas: [Quota], active: [Job], pending: [Job],
        catalog: GPUCatalog = .standard, terminating: Set<JobID> = [], runtimeHistory: [TenantID: Double] = [:],
        fixedSizePools: Set<PoolID> = [], deviceClasses: [DeviceID: DeviceClass] = [:], unreliableDevices: Set<DeviceID> = [],
        predictedRuntimes: [JobID: Double] = [:]
    ) {
        self.now = now
        self.pools = pools
        self.nodes = nodes
        self.tenants = tenants
        self.quotas = quotas
        self.active = active
        self.pending = pending
        self.catalog = catalog
        self.terminating = terminating
        self.runtimeHistory = runtimeHistory
        self.fixedSizePools = fixedSizePools
        self.deviceClasses = deviceClasses
        self.unreliableDevices = unreliableDevices
        self.predictedRuntimes = predictedRuntimes
    }
}
