/// The built-in alert rules (SPEC §7, the source document's 资源晾晒): what each watches, on which
/// subjects, how loud it is and what it tells the operator to do. Thresholds and `for` durations are
/// settings (`alerts:`, `AlertSettings`).
public enum AlertRule: String, Codable, Hashable, Sendable, CaseIterable {
    /// Rolling-window mean GPU and GPU-memory utilization both below the threshold (pool or tenant).
    case lowEfficiency = "low-efficiency"
    /// Rolling-window mean GPU or GPU-memory utilization above the threshold (pool or tenant).
    case capacityRisk = "capacity-risk"
    /// A pool's allocation (GPUs held / GPUs present) above the threshold for `saturationForSeconds`.
    case poolSaturated = "pool-saturated"
    /// A pool's allocation below the threshold for `underuseForSeconds`.
    case poolUnderused = "pool-underused"
    /// A pool's oldest waiting job has waited longer than the threshold.
    case queueWait = "queue-wait"
    /// A tenant's prepaid account (docs/BILLING.md) is at or below zero.
    case zeroBalance = "zero-balance"

    /// The name Alertmanager and Prometheus know it by (`alertname`; the shipped Prometheus rules use the same).
    public var alertName: String {
        switch self {
        case .lowEfficiency: "ReservoirLowEfficiency"
        case .capacityRisk: "ReservoirCapacityRisk"
        case .poolSaturated: "ReservoirPoolSaturated"
        case .poolUnderused: "ReservoirPoolUnderused"
        case .queueWait: "ReservoirQueueWait"
        case .zeroBalance: "ReservoirZeroBalance"
        }
    }

    public var severity: AlertSeverity {
        switch self {
        case .lowEfficiency: .yellow
        case .capacityRisk: .orange
        case .poolSaturated: .critical
        case .poolUnderused: .info
        case .queueWait, .zeroBalance: .warning
        }
    }

    /// What the operator should do, in the source document's words.
    public var advice: String {
        switch self {
        case .lowEfficiency: "low efficiency: the capacity is held but barely used"
        case .capacityRisk: "capacity risk: plan more capacity before work has to wait"
        case .poolSaturated: "the pool is nearly full: new work will queue"
        case .poolUnderused: "check the scheduling policy: half the pool stands unallocated"
        case .queueWait: "scale out or change quotas: work has waited over the limit"
        case .zeroBalance: "the prepaid balance is spent: finance should add credit (billing.zeroBalance says whether new work is refused)"
        }
    }
}

/// How loud an alert is: the source document's colours for the efficiency rules (yellow, orange), the
/// usual Alertmanager words for the others. Sent as the `severity` label.
public enum AlertSeverity: String, Codable, Hashable, Sendable, CaseIterable {
    case info, yellow, warning, orange, critical
}
