/// The monthly review of a large-model (L1) grant, which has no fixed term (SPEC §5.7): its utilization,
/// its progress (GPU-hours used against the estimate) and what operators should do about it.
public enum L1Recommendation: String, Codable, Hashable, Sendable, CaseIterable { case keep, shrink, reclaim }

/// The review rule, in one place so the report can say it in words.
public struct L1ReviewRule: Hashable, Sendable {
    /// A month whose daily peak utilization never reached this (the idle threshold) → reclaim.
    public var idleBelow: Double
    /// A month whose mean utilization stayed below this → shrink.
    public var shrinkBelow: Double

    public init(idleBelow: Double, shrinkBelow: Double = 0.5) {
        self.idleBelow = idleBelow
        self.shrinkBelow = shrinkBelow
    }

    /// `peak` and `mean` over the month's daily roll-ups (0…1, nil: no utilization reported);
    /// `used`/`estimated` GPU-hours. Returns the recommendation and the rule that gave it.
    public func recommend(peak: Double?, mean: Double?, used: Double, estimated: Double?) -> (L1Recommendation, String) {
        let idle = Int((idleBelow * 100).rounded()), low = Int((shrinkBelow * 100).rounded())
        guard let peak, let mean else {
            return (.reclaim, "no utilization reported all month: its jobs held nothing")
        }
        if peak < idleBelow {
            return (.reclaim, "daily peak utilization stayed below \(idle) % all month (\(Self.percent(peak)) at most)")
        }
        if let estimated, estimated > 0, used >= estimated {
            return (.shrink, "used \(Self.hours(used)) of \(Self.hours(estimated)) estimated GPU-hours: the run should be ending")
        }
        if mean < shrinkBelow {
            return (.shrink, "mean utilization \(Self.percent(mean)) below \(low) %: fewer GPUs would do")
        }
        return (.keep, "mean utilization \(Self.percent(mean)) at or above \(low) % and within its estimate")
    }

    static func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded())) %" }
    static func hours(_ value: Double) -> String { String(Int(value.rounded())) }
}
