import ReservoirCore

/// The metering context's port: usage sessions, written by the store when a job stops holding devices.
public protocol UsageStore: Sendable {
    func usageSessions(tenant: TenantID?, since: Double, until: Double) throws -> [UsageSession]
}
