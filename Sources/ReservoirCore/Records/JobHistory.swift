/// The durable record of one placement decision.
public struct DecisionRecord: Codable, Hashable, Sendable {
    public var at: Double
    public var placements: [ReplicaPlacement]
    public var rationale: String

    public init(at: Double, placements: [ReplicaPlacement], rationale: String) {
        self.at = at
        self.placements = placements
        self.rationale = rationale
    }
}

/// A visible event in a job's history (submitted, admitted, running, preempted, resized…).
public struct JobEvent: Codable, Hashable, Sendable {
    public var at: Double
    public var kind: String
    public var message: String

    public init(at: Double, kind: String, message: String) {
        self.at = at
        self.kind = kind
        self.message = message
    }
}
