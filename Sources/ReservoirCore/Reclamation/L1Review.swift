/// The monthly review of a large-model (L1) grant, which has no fixed term (SPEC §5.7): its utilization,
/// its progress (GPU-hours used against the estimate) and what operators should do about it.
public enum L1Recommendation: String, Codable, Hashable, Sendable, CaseIterable { case keep, shrink, reclaim }

/// The review rule, in one place so the report can say it in words.
public struct L1ReviewRule: Hashable, Sendable {
    /// A month whose daily peak utilization never reached this percentage (the idle threshold) → reclaim.
    public var idleBelow: Double
    /// A month whose mean utilization stayed below this percentage → shrink.
    public var shrinkBelow: Double

    public init(idleBelow: Double, shrinkBelow: Double = 50) {
        self.idleBelow = idleBelow
        self.shrinkBelow = shrinkBelow
    }

    /// `peak` and `mean` GPU utilization over the month's daily roll-ups (percent, nil: no utilization reported);
    /// `used`/`estimated` GPU-hours. Returns the recommendation and the rule that gave it.
    public func recommend(peak: Double?, mean: Double?, used: Double, estimated: Double?) -> (L1Recommendation, String) {
        guard let peak, let mean else {
            return (.reclaim, "no utilization reported all month: its jobs held nothing")
        }
        if peak < idleBelow {
            return (.reclaim, "daily peak utilization stayed below \(Self.percent(idleBelow)) all month (\(Self.percent(peak)) at most)")
        }
        if let estimated, estimated > 0, used >= estimated {
            return (.shrink, "used \(Self.hours(used)) of \(Self.hours(estimated)) estimated GPU-hours: the run should be ending")
        }
        if mean < shrinkBelow {
            return (.shrink, "mean utilization \(Self.percent(mean)) below \(Self.percent(shrinkBelow)): fewer GPUs would do")
        }
        return (.keep, "mean utilization \(Self.percent(mean)) at or above \(Self.percent(shrinkBelow)) and within its estimate")
    }

    /// The rule as the report states it.
    public var inWords: String {
        "reclaim when the daily peak utilization stayed below \(Self.percent(idleBelow)) all month (or nothing ran); shrink when its jobs used"
            + " their estimated GPU-hours or the mean utilization stayed below \(Self.percent(shrinkBelow)); keep otherwise"
    }

    static func percent(_ value: Double) -> String { "\(Int(value.rounded())) %" }
    static func hours(_ value: Double) -> String { String(Int(value.rounded())) }
}
