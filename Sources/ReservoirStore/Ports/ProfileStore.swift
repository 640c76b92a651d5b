import ReservoirCore

/// Per-device utilization in bulk, for resource profiles: one pass over the day roll-ups for all
/// devices, where a query per device would scan the same days once per device.
public protocol DeviceUtilizationReader: Sendable {
    /// Mean GPU utilization (0…100) per device over the days that overlap `[since, until)`, weighted by
    /// samples; devices without samples are absent.
    func meanUtilizationByDevice(since: Double, until: Double) throws -> [DeviceID: Double]
}
