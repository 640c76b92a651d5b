/// "A customer asks for N GPUs of a model in a region, for so many hours": the question the what-if
/// planner answers with an ordered list of steps.
public struct CapacityRequest: Hashable, Sendable, Codable {
    public var region: String
    public var model: String
    public var gpus: Int
    /// Rank of the requester's priority class; only strictly lower-ranked preemptible GPUs are taken.
    public var priorityRank: Int
    public var durationHours: Double

    public init(region: String, model: String, gpus: Int, priorityRank: Int, durationHours: Double) {
        self.region = region
        self.model = model
        self.gpus = gpus
        self.priorityRank = priorityRank
        self.durationHours = durationHours
    }
}

/// One step of a fulfilment plan: where GPUs come from, how many, from when, and at what cost.
public struct FulfilmentStep: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case freeCapacity = "free_capacity"
        case preemption
        case crossRegion = "cross_region"
        case spot
        case partner
        case rental
        case procurement
    }

    public var order: Int
    public var kind: Kind
    /// Region, priority class or provider the GPUs come from.
    public var source: String
    public var gpus: Int
    public var availableAtHours: Double
    /// Money for the request's GPU-hours from this source (catalog price for own capacity, offer or
    /// rental price outside), plus capital for procurement.
    public var cost: Double
    /// GPU-hours of lower-class work interrupted (preemption only).
    public var preemptedGPUHours: Double
    public var note: String
}

/// The answer: steps in the order to take them, and the delivery phases they add up to.
public struct FulfilmentPlan: Hashable, Sendable, Codable {
    public var request: CapacityRequest
    public var steps: [FulfilmentStep]
    /// GPUs available to the request by each step's availability time, cumulative.
    public var phases: [Phase]
    public var totalCost: Double
    public var preemptedGPUHours: Double
    /// GPUs the plan could not find (0 when fully covered).
    public var shortfall: Int

    public struct Phase: Hashable, Sendable, Codable {
        public var atHours: Double
        public var gpus: Int
    }
}
