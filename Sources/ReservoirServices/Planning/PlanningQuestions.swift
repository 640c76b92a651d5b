import ReservoirCore
import ReservoirForecasting

/// Planning questions as a client asks them (`/v1/plans/...`, the console's planning page): optional
/// fields with their defaults, each checked and refused by name, in one place for every shell.
extension PlanningContext {
    /// The configured expansion policy with `threshold` (0.6…0.8) and `buffer` (0.05…0.2) where given.
    public func capacityPolicy(threshold: Double?, buffer: Double?) throws -> CapacityPolicy {
        var policy = configuration.planning.policy
        if let threshold {
            guard Bounds.expansionThreshold.contains(threshold) else { throw ReservoirError.invalid("threshold", "must be between 0.6 and 0.8") }
            policy.expansionThreshold = threshold
        }
        if let buffer {
            guard Bounds.expansionBuffer.contains(buffer) else { throw ReservoirError.invalid("buffer", "must be between 0.05 and 0.2") }
            policy.buffer = buffer
        }
        return policy
    }

    /// What a surge asks when a field is left out: demand × 3 for a week, from now.
    public static let surgeDefaults = (factor: 3.0, fromHour: 0, hours: 168)
    /// How long a request lasts when it does not say: 30 days.
    public static let defaultRequestHours = 24.0 * 30

    /// "A customer asks for `gpus` of `model` in `region`, in `priority` (default P1), for `durationHours`
    /// (default 30 days)": `region` and `gpus` are required, each field within its bounds.
    public func whatIfRequest(
        region: String?, model: String, gpus: Int?, priority: PriorityClass?, durationHours: Double?, by principal: Principal
    ) throws -> FulfilmentPlan {
        guard let region else { throw ReservoirError.invalid("region", "is required") }
        guard let gpus else { throw ReservoirError.invalid("gpus", "is required") }
        try Bounds.check(gpus, "gpus", in: Bounds.whatIfGPUs)
        let priority = priority ?? .p1
        let request = CapacityRequest(
            region: region, model: model, gpus: gpus, priorityRank: PriorityClass.p3.rank - priority.rank,
            durationHours: try Bounds.check(durationHours ?? Self.defaultRequestHours, "durationHours", in: Bounds.requestHours, unit: "hours"))
        return try whatIfRequest(request, by: principal)
    }

    /// A surge of `model` with the defaults (`surgeDefaults`) for the fields left out.
    public func whatIfSurge(model: String, factor: Double?, fromHour: Int?, hours: Int?, by principal: Principal) throws -> WhatIfPlanner.SurgeOutcome {
        try whatIfSurge(
            model: model, factor: factor ?? Self.surgeDefaults.factor, fromHour: fromHour ?? Self.surgeDefaults.fromHour,
            hours: hours ?? Self.surgeDefaults.hours, by: principal)
    }
}
