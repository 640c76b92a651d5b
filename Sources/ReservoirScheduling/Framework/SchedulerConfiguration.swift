import ReservoirPlacement

/// How the cycle behaves; configuration is a value handed to the cycle, never a global.
/// Every knob has a default that suits a shared training/inference pool.
public struct SchedulerConfiguration: Sendable, Hashable, Codable {
    /// Placement policy name (see `PlacementPolicy`); `reservoir`, the best measured on the openb
    /// benchmark (docs/BENCHMARKS.md), looking ahead to each pool's recent work (`TypicalPods.recent`).
    public var placementPolicy: String
    /// Upper bound on jobs examined per cycle, so one cycle stays short with a deep queue.
    public var maxJobsPerCycle: Int
    /// How the queue is ordered (see `QueuePolicy`).
    public var queuePolicy: QueuePolicy
    /// Waiting raises a job's effective class by this many classes per hour, down to P1: a P3 job
    /// waiting 8 h at 0.25/h ranks with P1 work. Only the order changes; preemption rights do not.
    public var agingClassesPerHour: Double
    public var preemption: PreemptionConfiguration
    public var backfill: BackfillConfiguration
    /// Grow elastic jobs into capacity nobody waits for.
    public var elasticGrow: Bool
    /// Keep multi-GPU and gang jobs inside one NVLink island, then node, then rack.
    public var topologyAware: Bool
    /// Feasible nodes scored per single-replica pod before the best so far is taken (kube-scheduler's
    /// `percentageOfNodesToScore` as a count; 0 = all). Bounds a cycle on large pools; gangs and
    /// multi-GPU pods always score every node, and so do the fragmentation-aware policies
    /// (`PlacementPolicy.comparesAllNodes`), whose best node a subset would miss.
    public var nodesToScore: Int
    /// Reuse work inside a cycle: each node's description-filter answers per pod constraint set,
    /// and the backfill reservation search's running view. Off, every placement runs the whole
    /// filter chain on every node and every reservation probe rebuilds its view from scratch; the
    /// decisions are the same (tests compare both), only slower. For tests and diagnosis.
    public var reuseWithinCycle = true

    public init(
        placementPolicy: String = PlacementPolicy.defaultName, maxJobsPerCycle: Int = 5_000, queuePolicy: QueuePolicy = .fairShare,
        agingClassesPerHour: Double = 0.25, preemption: PreemptionConfiguration = PreemptionConfiguration(),
        backfill: BackfillConfiguration = BackfillConfiguration(), elasticGrow: Bool = true, topologyAware: Bool = true,
        nodesToScore: Int = 128
    ) {
        self.placementPolicy = placementPolicy
        self.maxJobsPerCycle = maxJobsPerCycle
        self.queuePolicy = queuePolicy
        self.agingClassesPerHour = agingClassesPerHour
        self.preemption = preemption
        self.backfill = backfill
        self.elasticGrow = elasticGrow
        self.topologyAware = topologyAware
        self.nodesToScore = nodesToScore
    }
}

/// Preemption and reclamation knobs.
public struct PreemptionConfiguration: Sendable, Hashable, Codable {
    public var enabled: Bool
    /// Seconds a victim gets to checkpoint before it must leave its devices.
    public var graceSeconds: Double
    /// Whether a tenant reclaiming its own guarantee may evict *borrowed* work of its own class.
    /// On (default), a guarantee is always obtainable (SPEC §3); off, no equal-class work is ever
    /// evicted and guarantees are only recovered from lower classes.
    public var reclaimWithinClass: Bool
    /// Most victims examined for one preemptor (bounds the cost of a cycle).
    public var maxCandidates: Int

    public init(enabled: Bool = true, graceSeconds: Double = 30, reclaimWithinClass: Bool = true, maxCandidates: Int = 512) {
        self.enabled = enabled
        self.graceSeconds = graceSeconds
        self.reclaimWithinClass = reclaimWithinClass
        self.maxCandidates = maxCandidates
    }
}

/// Slurm-style backfill knobs (`bf_window`, `bf_resolution`, `bf_max_job_test`).
public struct BackfillConfiguration: Sendable, Hashable, Codable {
    public var enabled: Bool
    /// How far ahead a reservation may be planned; a job that cannot start within it gets none.
    public var windowSeconds: Double
    /// Job end times are rounded up to this grain, so the map has at most window/resolution slices.
    public var resolutionSeconds: Double
    /// Most jobs tried behind the reservation per pool and cycle.
    public var maxJobTest: Int

    public init(enabled: Bool = true, windowSeconds: Double = 86_400, resolutionSeconds: Double = 60, maxJobTest: Int = 500) {
        self.enabled = enabled
        self.windowSeconds = windowSeconds
        self.resolutionSeconds = resolutionSeconds
        self.maxJobTest = maxJobTest
    }
}
