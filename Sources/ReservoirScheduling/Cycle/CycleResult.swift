import ReservoirCore

/// A job the cycle decided to start, with where every replica goes and why there.
public struct Decision: Codable, Hashable, Sendable {
    public var job: JobID
    public var placements: [ReplicaPlacement]
    /// A sentence for `explain`: which policy chose the nodes and under which quota.
    public var rationale: String

    public init(job: JobID, placements: [ReplicaPlacement], rationale: String) {
        self.job = job
        self.placements = placements
        self.rationale = rationale
    }
}

/// What one cycle decided: jobs to start, and for every job left waiting, why.
public struct CycleResult: Sendable {
    public var decisions: [Decision]
    public var waiting: [JobID: PendingReason]

    public init(decisions: [Decision] = [], waiting: [JobID: PendingReason] = [:]) {
        self.decisions = decisions
        self.waiting = waiting
    }
}

/// Machine-readable kinds of `PendingReason`.
public enum PendingKind {
    public static let quota = "quota"
    public static let capacity = "capacity"
    public static let constraint = "constraint"
    public static let gang = "gang"
    public static let reservation = "reservation"
    public static let pool = "pool"
}
