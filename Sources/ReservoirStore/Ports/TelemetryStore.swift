import ReservoirCore

/// Reads of the utilization signal, for every context that acts on it (services' autoscaling,
/// device profiles, reclamation, reports).
public protocol TelemetryReader: Sendable {
    /// The series of `query`, oldest bucket first; buckets without samples are left out.
    func utilization(_ query: UtilizationQuery) throws -> [UtilizationPoint]
}

/// Reads of device health history, for profiles (30-day fault counts) and the health views.
public protocol DeviceHealthReader: Sendable {
    /// Health events since `since`, oldest first, of one device or of all.
    func healthEvents(device: DeviceID?, since: Double) throws -> [DeviceHealthEvent]
}
