/// The idle rule of SPEC §5.7 over daily utilization roll-ups: capacity counts as idle only when its
/// daily peak GPU utilization **and** its daily peak GPU-memory utilization stayed below their
/// thresholds on every day of the window. Peaks, not means, so a service that is busy for one hour a
/// day is not idle; every day, so a window with days missing (no replica reported) proves nothing.
public struct IdleCheck: Hashable, Sendable {
    /// Daily peak GPU utilization must stay below this, in percent.
    public var utilizationBelowPercent: Double
    /// Daily peak GPU-memory utilization (memory in use over memory present) must stay below this, in percent.
    public var memoryBelowPercent: Double
    /// Days the rule looks back.
    public var windowDays: Int

    public init(utilizationBelowPercent: Double, memoryBelowPercent: Double, windowDays: Int) {
        self.utilizationBelowPercent = utilizationBelowPercent
        self.memoryBelowPercent = memoryBelowPercent
        self.windowDays = windowDays
    }

    /// The window ending at the start of `now`'s day: whole days only, so today's partial day never decides.
    public func window(endingBefore now: Double) -> (since: Double, until: Double) {
        let day = TelemetryResolution.day.seconds
        let until = (now / day).rounded(.down) * day
        return (until - Double(windowDays) * day, until)
    }

    /// The verdict over the daily points of the window (`UtilizationPoint.at` at day starts).
    public func judge(daily points: [UtilizationPoint], since: Double, until: Double) -> IdleVerdict {
        let inside = points.filter { $0.at >= since && $0.at < until }
        let peakUtilization = inside.map(\.gpuUtilMax).max() ?? 0
        let peakMemory = (inside.map(\.memoryFractionMax).max() ?? 0) * 100
        let days = Set(inside.map { Int(($0.at / TelemetryResolution.day.seconds).rounded(.down)) }).count
        let idle = days >= windowDays && peakUtilization < utilizationBelowPercent && peakMemory < memoryBelowPercent
        return IdleVerdict(idle: idle, daysReported: days, windowDays: windowDays, peakUtilization: peakUtilization, peakMemory: peakMemory)
    }
}

/// What the idle rule found over one window.
public struct IdleVerdict: Codable, Hashable, Sendable {
    public var idle: Bool
    /// Days of the window with a roll-up; fewer than `windowDays` never counts as idle.
    public var daysReported: Int
    public var windowDays: Int
    /// Highest daily peak GPU utilization over the window, in percent.
    public var peakUtilization: Double
    /// Highest daily peak GPU-memory utilization over the window, in percent.
    public var peakMemory: Double

    public init(idle: Bool, daysReported: Int, windowDays: Int, peakUtilization: Double, peakMemory: Double) {
        self.idle = idle
        self.daysReported = daysReported
        self.windowDays = windowDays
        self.peakUtilization = peakUtilization
        self.peakMemory = peakMemory
    }
}
