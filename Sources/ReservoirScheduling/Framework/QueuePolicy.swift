import ReservoirCore

/// How pending jobs are ordered. Every policy ends on arrival, then id, so the order is total.
///
/// | policy       | key                                                              |
/// |--------------|------------------------------------------------------------------|
/// | `fifo`       | arrival                                                          |
/// | `priority`   | effective class, arrival                                         |
/// | `fairShare`  | effective class, tenant's DRF dominant share ÷ weight, arrival   |
/// | `capacity`   | effective class, tenant's use ÷ its guarantee, arrival            |
///
/// *Effective class* is the priority class raised by aging (`agingClassesPerHour`): a P3 job
/// submitted at t=0 with a rate of 0.25/h ranks as P2 from t=4 h and as P1 from t=8 h, never as P0.
/// Worked example (fair share, equal weights): tenant A holds 30 of 100 GPUs (share 0.30), B holds
/// 10 (0.10); both have a P2 job waiting. B's goes first; if it takes 25 GPUs B's share becomes
/// 0.35 and A's next job overtakes B's next one.
public enum QueuePolicy: String, Sendable, Hashable, CaseIterable, Codable {
    case fifo
    case priority
    case fairShare = "fair-share"
    case capacity

    /// Class rank after aging; 0 for every job under FIFO.
    func classKey(_ job: Job, now: Double, agingClassesPerHour: Double) -> Int {
        guard self != .fifo else { return 0 }
        let rank = job.priority.rank
        guard rank > 1, agingClassesPerHour > 0 else { return rank }
        let waited = max(0, now - job.submittedAt)
        let raised = Int((waited * agingClassesPerHour / 3_600).rounded(.down))
        return max(1, rank - raised)
    }

    /// Whether the tenant's share takes part in the order.
    var usesShare: Bool { self == .fairShare || self == .capacity }
}

/// One entry of the tenant heap: the head job of one tenant's queue with the keys it is ordered by.
struct QueueHead: Comparable {
    var classKey: Int
    var share: Double
    var arrival: Double
    var job: JobID
    var slot: Int

    static func < (a: QueueHead, b: QueueHead) -> Bool {
        if a.classKey != b.classKey { return a.classKey < b.classKey }
        if a.share != b.share { return a.share < b.share }
        if a.arrival != b.arrival { return a.arrival < b.arrival }
        return a.job < b.job
    }
}
