import ReservoirCore

/// The load offered to one running inference replica (one job), so an engine that models
/// utilization (the simulator) can turn traffic into GPU utilization and memory.
public struct OfferedLoad: Codable, Hashable, Sendable {
    /// Requests per second sent to this replica now.
    public var qps: Double
    /// Requests per second the replica serves at full GPU utilization.
    public var capacityQPS: Double

    public init(qps: Double, capacityQPS: Double) {
        self.qps = qps
        self.capacityQPS = capacityQPS
    }
}

/// Engines that can read their devices' utilization implement this; the telemetry service samples
/// them once a minute of Reservoir's clock. The simulator models it from each workload's load
/// profile. Slurm cannot (it reports no GPU utilization): a node agent covers Slurm nodes.
public protocol TelemetryReporting: Sendable {
    /// One sample per busy or idle device the engine knows, at `now` (Reservoir's clock);
    /// `load` gives inference replicas their offered traffic (absent: the job's own profile).
    func deviceSamples(at now: Double, load: [JobID: OfferedLoad]) async throws -> [DeviceSample]
}
