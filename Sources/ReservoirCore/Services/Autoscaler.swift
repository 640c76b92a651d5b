/// The autoscaling policy as a pure function: a service, its replicas' utilization over the recent
/// past (minute buckets, `TelemetryReader.utilization(.service(id))`), when it was last adjusted,
/// and the time → scale out, scale in or hold, always with the reason. No I/O and no clock, so the
/// rules (never outside min/max, cool-down, hysteresis) are checked by property tests.
public struct Autoscaler: Sendable {
    public init() {}

    /// `waitingReplicas`: replicas of the service waiting for capacity; while any wait, adding more
    /// would only lengthen the queue (the pool is out: tiers 2 and 3 are asked instead).
    public func decide(
        _ service: InferenceService, points: [UtilizationPoint], lastAdjustmentAt: Double?, now: Double, waitingReplicas: Int = 0
    ) -> AutoscaleDecision {
        let decision = decideIgnoringCapacity(service, points: points, lastAdjustmentAt: lastAdjustmentAt, now: now)
        if waitingReplicas > 0, case let .scale(to, reason) = decision, to > service.desiredReplicas, service.replicaRange.contains(service.desiredReplicas) {
            return .hold(.waitingForCapacity(replicas: waitingReplicas, reason))
        }
        return decision
    }

    private func decideIgnoringCapacity(_ service: InferenceService, points: [UtilizationPoint], lastAdjustmentAt: Double?, now: Double) -> AutoscaleDecision {
        let policy = service.autoscaling
        let current = service.desiredReplicas
        let range = service.replicaRange
        // Out of range (min or max changed): back inside before anything else, cool-down or not.
        if current < range.lowerBound { return .scale(to: range.lowerBound, .belowMinimum) }
        if current > range.upperBound { return .scale(to: range.upperBound, .aboveMaximum) }
        if let last = lastAdjustmentAt, now - last < policy.cooldownSeconds {
            return .hold(.coolingDown(until: last + policy.cooldownSeconds))
        }
        // Only buckets after the last adjustment describe the replicas there are now.
        let since = max(now - policy.windowSeconds, lastAdjustmentAt ?? -Double.infinity)
        let window = points.filter { $0.at >= since && $0.at < now }.sorted { $0.at < $1.at }
        guard let latest = window.last else { return .hold(.noSignal) }
        let memoryPercent = latest.memoryFractionMean * 100
        let meanUtil = window.map(\.gpuUtilMean).reduce(0, +) / Double(window.count)
        if memoryPercent > policy.scaleOutMemoryPercent {
            return scaleOut(service, utilization: max(meanUtil, policy.scaleOutUtilPercent), .memoryHigh(percent: memoryPercent))
        }
        // "For the window": every minute of it measured (one may be missing: the sampler's minute
        // and ours need not line up), and every one past the threshold.
        let minutes = Int((policy.windowSeconds / 60).rounded(.down))
        guard window.count >= max(1, minutes - 1), now - since >= policy.windowSeconds else {
            return .hold(.warmingUp(measuredMinutes: window.count, neededMinutes: minutes))
        }
        if window.allSatisfy({ $0.gpuUtilMean > policy.scaleOutUtilPercent }) {
            return scaleOut(service, utilization: meanUtil, .utilizationHigh(percent: meanUtil))
        }
        if window.allSatisfy({ $0.gpuUtilMean < policy.scaleInUtilPercent }) {
            return scaleIn(service, utilization: meanUtil)
        }
        return .hold(.withinBounds(percent: meanUtil))
    }

    /// The replicas at which `utilization` (percent, at `current` replicas) would run at the target.
    static func replicasForTarget(_ current: Int, utilization: Double, target: Double) -> Int {
        let exact = Double(current) * utilization / target
        guard exact.isFinite else { return current }
        return Int(min(exact.rounded(.up), 1e9))
    }

    private func scaleOut(_ service: InferenceService, utilization: Double, _ reason: AutoscaleReason) -> AutoscaleDecision {
        let current = service.desiredReplicas
        guard current < service.maxReplicas else { return .hold(.atMaximum(reason)) }
        let wanted = Self.replicasForTarget(current, utilization: utilization, target: service.autoscaling.targetUtilPercent)
        let next = min(service.maxReplicas, current + service.autoscaling.maxStep, max(current + 1, wanted))
        return .scale(to: next, reason)
    }

    private func scaleIn(_ service: InferenceService, utilization: Double) -> AutoscaleDecision {
        let current = service.desiredReplicas
        let reason = AutoscaleReason.utilizationLow(percent: utilization)
        guard current > service.minReplicas else { return .hold(.atMinimum(reason)) }
        // Never below the count at which the same load would run above the target (hysteresis):
        // the next window must not find the smaller service overloaded.
        let wanted = Self.replicasForTarget(current, utilization: utilization, target: service.autoscaling.targetUtilPercent)
        let next = max(service.minReplicas, current - service.autoscaling.maxStep, min(current - 1, wanted))
        guard next < current else { return .hold(.withinBounds(percent: utilization)) }
        return .scale(to: next, reason)
    }
}

/// What the autoscaler decided.
public enum AutoscaleDecision: Hashable, Sendable {
    case scale(to: Int, AutoscaleReason)
    case hold(AutoscaleHold)
}

/// Why the autoscaler changes a service's replicas.
public enum AutoscaleReason: Hashable, Sendable {
    case utilizationHigh(percent: Double)
    case memoryHigh(percent: Double)
    case utilizationLow(percent: Double)
    case belowMinimum
    case aboveMaximum

    /// The reason in an operator's words, as the adjustment records it.
    public func sentence(_ policy: AutoscalingPolicy) -> String {
        let window = HumanDuration.text(seconds: policy.windowSeconds)
        switch self {
        case let .utilizationHigh(p): return "mean GPU utilization \(Self.percent(p)) above \(Self.percent(policy.scaleOutUtilPercent)) for \(window)"
        case let .memoryHigh(p): return "GPU memory \(Self.percent(p)) above \(Self.percent(policy.scaleOutMemoryPercent))"
        case let .utilizationLow(p): return "mean GPU utilization \(Self.percent(p)) below \(Self.percent(policy.scaleInUtilPercent)) for \(window)"
        case .belowMinimum: return "fewer replicas than the minimum"
        case .aboveMaximum: return "more replicas than the maximum"
        }
    }

    static func percent(_ p: Double) -> String { "\(Int(p.rounded())) %" }
}

/// Why the autoscaler leaves a service as it is.
public enum AutoscaleHold: Hashable, Sendable {
    case coolingDown(until: Double)
    /// No utilization measured since the last adjustment.
    case noSignal
    /// Fewer minutes measured since the last adjustment than the window needs.
    case warmingUp(measuredMinutes: Int, neededMinutes: Int)
    case withinBounds(percent: Double)
    case atMaximum(AutoscaleReason)
    case atMinimum(AutoscaleReason)
    /// It would scale out, but replicas already wait for capacity.
    case waitingForCapacity(replicas: Int, AutoscaleReason)
}
