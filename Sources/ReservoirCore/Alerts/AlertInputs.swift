import Foundation

/// What the alert rules read, gathered by the alerts context at each pass: plain numbers, so the rules
/// are pure and a test states them directly.
public struct AlertInputs: Hashable, Sendable {
    public var pools: [PoolReading]
    public var tenants: [TenantReading]

    public init(pools: [PoolReading], tenants: [TenantReading]) {
        self.pools = pools
        self.tenants = tenants
    }
}

/// One pool now: its GPUs, how many are allocated, its oldest waiting job, and its window's utilization.
public struct PoolReading: Hashable, Sendable {
    public var pool: PoolID
    /// Accelerators present in the pool (whatever their state).
    public var gpus: Double
    /// GPUs held by admitted and running jobs (fractions included).
    public var allocatedGPUs: Double
    /// Seconds the pool's longest-waiting queued job has waited; nil: nothing waits.
    public var oldestQueuedWaitSeconds: Double?
    /// The rolling window's mean utilization; nil: no telemetry in the window.
    public var utilization: WindowUtilization?

    public init(pool: PoolID, gpus: Double, allocatedGPUs: Double, oldestQueuedWaitSeconds: Double?, utilization: WindowUtilization?) {
        self.pool = pool
        self.gpus = gpus
        self.allocatedGPUs = allocatedGPUs
        self.oldestQueuedWaitSeconds = oldestQueuedWaitSeconds
        self.utilization = utilization
    }

    /// Allocated over present, 0…1; nil for a pool without GPUs.
    public var allocationFraction: Double? { gpus > 0 ? allocatedGPUs / gpus : nil }
}

/// One tenant's window utilization (of the devices its work held) and its prepaid balance.
public struct TenantReading: Hashable, Sendable {
    public var tenant: TenantID
    public var utilization: WindowUtilization?
    /// Credits minus charges so far; nil: the tenant has no prepaid account (or billing tells nothing).
    public var balance: Money?

    public init(tenant: TenantID, utilization: WindowUtilization?, balance: Money? = nil) {
        self.tenant = tenant
        self.utilization = utilization
        self.balance = balance
    }
}

extension Money {
    /// For a gauge and an alert's value only: money itself stays exact.
    public var gaugeValue: Double { NSDecimalNumber(decimal: value).doubleValue }
}

/// Mean GPU utilization and mean GPU memory in use, both in percent, over a window.
public struct WindowUtilization: Hashable, Sendable {
    public var gpuPercent: Double
    public var memoryPercent: Double

    public init(gpuPercent: Double, memoryPercent: Double) {
        self.gpuPercent = gpuPercent
        self.memoryPercent = memoryPercent
    }

    /// The sample-weighted mean of day (or hour) buckets; nil when none has samples.
    public init?(_ points: [UtilizationPoint]) {
        guard let means = UtilizationPoint.sampleWeightedMeans(points) else { return nil }
        gpuPercent = means.gpuUtil
        memoryPercent = means.memoryFraction * 100
    }

    /// The busier of the two: low efficiency when even it is low, capacity risk when it is high.
    public var busier: Double { max(gpuPercent, memoryPercent) }
}

/// One rule looked at one subject at one pass: the value, the threshold, and whether the condition holds.
public struct AlertObservation: Hashable, Sendable {
    public var rule: AlertRule
    /// `pool:<id>` or `tenant:<id>`: bounded by the inventory and the tenants.
    public var subject: String
    public var value: Double
    public var threshold: Double
    public var holds: Bool

    public init(rule: AlertRule, subject: String, value: Double, threshold: Double, holds: Bool) {
        self.rule = rule
        self.subject = subject
        self.value = value
        self.threshold = threshold
        self.holds = holds
    }
}

extension AlertInputs {
    /// Every rule on every subject it applies to. A subject without the reading a rule needs (no
    /// telemetry in the window, a pool without GPUs) gives no observation: an unknown is not an alarm,
    /// and an alert firing on it resolves.
    public func observations(_ settings: AlertSettings) -> [AlertObservation] {
        var found: [AlertObservation] = []
        func efficiency(_ subject: String, _ u: WindowUtilization?) {
            guard let u else { return }
            found.append(AlertObservation(
                rule: .lowEfficiency, subject: subject, value: u.busier, threshold: settings.lowEfficiencyBelowPercent,
                holds: u.busier < settings.lowEfficiencyBelowPercent))
            found.append(AlertObservation(
                rule: .capacityRisk, subject: subject, value: u.busier, threshold: settings.capacityRiskAbovePercent,
                holds: u.busier > settings.capacityRiskAbovePercent))
        }
        for pool in pools.sorted(by: { $0.pool.rawValue < $1.pool.rawValue }) {
            let subject = "pool:\(pool.pool.rawValue)"
            efficiency(subject, pool.utilization)
            if let fraction = pool.allocationFraction {
                let percent = fraction * 100
                found.append(AlertObservation(
                    rule: .poolSaturated, subject: subject, value: percent, threshold: settings.saturationAbovePercent,
                    holds: percent > settings.saturationAbovePercent))
                found.append(AlertObservation(
                    rule: .poolUnderused, subject: subject, value: percent, threshold: settings.underuseBelowPercent,
                    holds: percent < settings.underuseBelowPercent))
            }
            let wait = pool.oldestQueuedWaitSeconds ?? 0
            found.append(AlertObservation(
                rule: .queueWait, subject: subject, value: wait, threshold: settings.queueWaitAboveSeconds, holds: wait > settings.queueWaitAboveSeconds))
        }
        for tenant in tenants.sorted(by: { $0.tenant.rawValue < $1.tenant.rawValue }) {
            efficiency("tenant:\(tenant.tenant.rawValue)", tenant.utilization)
            if let balance = tenant.balance {
                found.append(AlertObservation(
                    rule: .zeroBalance, subject: "tenant:\(tenant.tenant.rawValue)", value: balance.gaugeValue, threshold: 0, holds: balance <= .zero))
            }
        }
        return found
    }
}
