import ReservoirCore

/// Per-device utilization in bulk, for resource profiles and per-device metrics: one pass over the
/// roll-ups for all devices, where a query per device would scan the same rows once per device (the
/// telemetry tables are keyed by time first).
public protocol DeviceUtilizationReader: Sendable {
    /// Mean GPU utilization (0…100) per device over the days that overlap `[since, until)`, weighted by
    /// samples; devices without samples are absent.
    func meanUtilizationByDevice(since: Double, until: Double) throws -> [DeviceID: Double]
    /// Mean GPU utilization (0…100) and memory in use over memory present (0…1) per device over the
    /// minutes in `[since, until)`; devices without samples are absent.
    func recentUtilizationByDevice(since: Double, until: Double) throws -> [DeviceID: (util: Double, memoryFraction: Double)]
}
