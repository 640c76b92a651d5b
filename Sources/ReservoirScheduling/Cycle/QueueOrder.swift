import ReservoirCore

/// Queue orderings: each a comparison named after its rule. Ties always end on arrival, then id,
/// so the order is total and deterministic.
public enum QueueOrder {
    /// Priority class first (P0 before P3), then arrival, then id.
    public static func priorityThenArrival(_ a: Job, _ b: Job) -> Bool {
        if a.priority != b.priority { return a.priority < b.priority }
        if a.submittedAt != b.submittedAt { return a.submittedAt < b.submittedAt }
        return a.id < b.id
    }
}
