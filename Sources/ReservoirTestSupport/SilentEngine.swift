import ReservoirCore
import ReservoirEngine

/// An engine that runs nothing and cannot read its devices (like Slurm, which reports no GPU
/// utilization): for tests of what Reservoir does when no engine reports telemetry.
public struct SilentEngine: ExecutionEngine {
    public init() {}
    public var kind: EngineKind { .simulated }
    public func inventory() async throws -> [Node] { [] }
    public func submit(_ spec: EngineJobSpec) async throws -> String { "" }
    public func cancel(_ job: JobID) async throws {}
    public func preempt(_ job: JobID, graceSeconds: Double) async throws {}
    public func status(_ job: JobID) async throws -> EngineJobReport { EngineJobReport(job: job, engineID: "", phase: .unknown) }
    public func jobs() async throws -> [EngineJobReport] { [] }
    public func events() -> AsyncStream<EngineEvent> { AsyncStream { $0.finish() } }
}
