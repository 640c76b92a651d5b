import ReservoirCore

/// A job the cycle decided to start, with where every replica goes and why there.
public struct Decision: Codable, Hashable, Sendable {
    public var job: JobID
    public var placements: [ReplicaPlacement]
    /// A sentence for `explain`: which policy chose the nodes, the topology reached, the quota it
    /// ran under, and whether it was backfilled ahead of a reservation.
    public var rationale: String

    public init(job: JobID, placements: [ReplicaPlacement], rationale: String) {
        self.job = job
        self.placements = placements
        self.rationale = rationale
    }
}

/// A running job the engine must stop: after `graceSeconds` (time to checkpoint) the job leaves
/// its devices and is requeued with its progress kept. The server applies evictions before the
/// decisions of the same cycle, because a decision may sit on the devices an eviction frees.
public struct Eviction: Codable, Hashable, Sendable {
    public var job: JobID
    /// The job whose placement needed the room.
    public var preemptor: JobID
    /// Why this victim: `reclaim` (its tenant borrowed the preemptor tenant's guarantee) or
    /// `priority` (a higher class needed the room).
    public var reason: String
    public var message: String
    public var graceSeconds: Double

    public init(job: JobID, preemptor: JobID, reason: String, message: String, graceSeconds: Double) {
        self.job = job
        self.preemptor = preemptor
        self.reason = reason
        self.message = message
        self.graceSeconds = graceSeconds
    }
}

/// An elastic job changes size: `placements` is its complete new placement list (replicas kept,
/// replicas added, replicas dropped are simply absent). The engine is told about every resize.
public struct Resize: Codable, Hashable, Sendable {
    public var job: JobID
    public var fromReplicas: Int
    public var toReplicas: Int
    public var placements: [ReplicaPlacement]
    /// `grow` (idle capacity) or `shrink` (room for a more important job).
    public var reason: String

    public init(job: JobID, fromReplicas: Int, toReplicas: Int, placements: [ReplicaPlacement], reason: String) {
        self.job = job
        self.fromReplicas = fromReplicas
        self.toReplicas = toReplicas
        self.placements = placements
        self.reason = reason
    }
}

/// The backfill reservation of a blocked job: the earliest time it fits given the runtime
/// estimates of what runs now, and the nodes it is planned on. Jobs started ahead of it never
/// touch those resources past `earliestStart`.
public struct Reservation: Codable, Hashable, Sendable {
    public var job: JobID
    public var pool: PoolID
    /// Seconds since the reservoir epoch (the snapshot's clock).
    public var earliestStart: Double
    public var nodes: [NodeID]

    public init(job: JobID, pool: PoolID, earliestStart: Double, nodes: [NodeID]) {
        self.job = job
        self.pool = pool
        self.earliestStart = earliestStart
        self.nodes = nodes
    }
}

/// What one cycle decided: jobs to start, evictions, resizes, reservations, and for every job
/// left waiting, why.
public struct CycleResult: Sendable {
    public var decisions: [Decision]
    public var waiting: [JobID: PendingReason]
    public var evictions: [Eviction]
    public var resizes: [Resize]
    public var reservations: [Reservation]

    public init(
        decisions: [Decision] = [], waiting: [JobID: PendingReason] = [:], evictions: [Eviction] = [],
        resizes: [Resize] = [], reservations: [Reservation] = []
    ) {
        self.decisions = decisions
        self.waiting = waiting
        self.evictions = evictions
        self.resizes = resizes
        self.reservations = reservations
    }
}

/// Machine-readable kinds of `PendingReason`.
public enum PendingKind {
    public static let quota = "quota"
    public static let capacity = "capacity"
    public static let constraint = "constraint"
    public static let gang = "gang"
    /// Would fit now, but would delay the reservation of an earlier job (`details` empty, message names it).
    public static let reservation = "reservation"
    /// Kept out by its class: the pool's dynamic reserve is for P0.
    public static let `class` = "class"
    /// Victims were evicted for it and are still within their grace period.
    public static let preempting = "preempting"
    public static let pool = "pool"
    /// Not examined this cycle: the queue is deeper than `maxJobsPerCycle`.
    public static let queue = "queue"
}
