/// The alert rules' thresholds and the pass that evaluates them (`alerts:` in the configuration file,
/// docs/CONFIG.md, docs/ALERTS.md).
public struct AlertSettings: Codable, Hashable, Sendable {
    /// Seconds of Reservoir's clock between two evaluations (and the longest real wait between them).
    public var passIntervalSeconds = 60.0
    /// Days of the rolling window the efficiency rules average over (daily roll-ups): "monthly" is a
    /// rolling 30 days, so the rule means the same on the 1st of a month as on the 30th.
    public var windowDays = 30
    /// Low efficiency (yellow): the window's mean GPU and GPU-memory utilization both below this percent.
    public var lowEfficiencyBelowPercent = 20.0
    /// Capacity risk (orange): the window's mean GPU or GPU-memory utilization above this percent.
    public var capacityRiskAbovePercent = 80.0
    /// Pool saturated (critical): GPUs allocated over GPUs present above this percent…
    public var saturationAbovePercent = 90.0
    /// …for this many seconds without a break.
    public var saturationForSeconds = 300.0
    /// Pool underused (info): GPUs allocated over GPUs present below this percent…
    public var underuseBelowPercent = 50.0
    /// …for this many seconds without a break (an hour: a pool empties for a moment between jobs).
    public var underuseForSeconds = 3_600.0
    /// Queue wait (warning): a pool's oldest waiting job has waited longer than this many seconds.
    public var queueWaitAboveSeconds = 3_600.0
    /// Where the `alertmanager` notification channel posts; empty: no such channel.
    public var alertmanager = AlertmanagerSettings()

    public init() {}

    /// How long a rule's condition must hold before it fires; 0: at once (the efficiency rules average
    /// a window already, the queue rule measures a wait already).
    public func forSeconds(_ rule: AlertRule) -> Double {
        switch rule {
        case .poolSaturated: saturationForSeconds
        case .poolUnderused: underuseForSeconds
        case .lowEfficiency, .capacityRisk, .queueWait, .zeroBalance: 0
        }
    }
}

/// An Alertmanager to send firing and resolved alerts to (`POST {url}/api/v2/alerts`).
public struct AlertmanagerSettings: Codable, Hashable, Sendable {
    /// The Alertmanager's base URL, e.g. `http://alertmanager:9093`; empty: none.
    public var url = ""
    /// Seconds a POST may take before it counts as failed (retried like any notice).
    public var timeoutSeconds = 10.0

    public init() {}
}
