import ReservoirCore

/// Several engines behind the one protocol: each cluster has its own engine (a simulator for one
/// region, Slurm for another), and every call is routed by the job's pool to its cluster's engine.
/// Events of all engines arrive on one stream, and the device samples of all engines that report them
/// come as one batch.
public final class EngineRegistry: ExecutionEngine, PollingEngine, ResizingEngine, LogReadingEngine, TelemetryReporting, Sendable {
    public let kind: EngineKind
    private let engines: [ClusterID: any ExecutionEngine]
    private let clusterOfPool: @Sendable (PoolID) -> ClusterID?
    private let fallback: any ExecutionEngine

    /// - Parameters:
    ///   - engines: the engine of each cluster.
    ///   - fallback: the engine for pools whose cluster has none of its own (the simulator).
    ///   - clusterOfPool: resolves a pool to its cluster from the current inventory.
    public init(engines: [ClusterID: any ExecutionEngine], fallback: any ExecutionEngine, clusterOfPool: @escaping @Sendable (PoolID) -> ClusterID?) {
        self.engines = engines
        self.fallback = fallback
        self.clusterOfPool = clusterOfPool
        self.kind = fallback.kind
    }

    /// The engine that runs jobs of `pool`.
    public func engine(forPool pool: PoolID?) -> any ExecutionEngine {
        guard let pool, let cluster = clusterOfPool(pool), let engine = engines[cluster] else { return fallback }
        return engine
    }

    /// The clusters with an engine of their own, and that engine.
    public var clusterEngines: [(cluster: ClusterID, engine: any ExecutionEngine)] {
        engines.keys.sorted().map { ($0, engines[$0]!) }
    }

    private var all: [any ExecutionEngine] { [fallback] + engines.keys.sorted().compactMap { engines[$0] } }

    public func inventory() async throws -> [Node] {
        var nodes: [Node] = []
        for engine in all { nodes += try await engine.inventory() }
        return nodes
    }

    @discardableResult
    public func submit(_ spec: EngineJobSpec) async throws -> String { try await engine(forPool: spec.pool).submit(spec) }

    public func cancel(_ job: JobID) async throws {
        for engine in all { try await engine.cancel(job) }
    }

    public func preempt(_ job: JobID, graceSeconds: Double) async throws {
        for engine in all where try await engine.status(job).phase != .unknown {
            try await engine.preempt(job, graceSeconds: graceSeconds)
        }
    }

    public func status(_ job: JobID) async throws -> EngineJobReport {
        for engine in all {
            let report = try await engine.status(job)
            if report.phase != .unknown { return report }
        }
        return EngineJobReport(job: job, engineID: "", phase: .unknown)
    }

    public func jobs() async throws -> [EngineJobReport] {
        var reports: [EngineJobReport] = []
        for engine in all { reports += try await engine.jobs() }
        return reports
    }

    public func resize(_ spec: EngineJobSpec) async throws {
        guard let engine = engine(forPool: spec.pool) as? any ResizingEngine else {
            throw ReservoirError(.unavailable, "the engine of pool \(spec.pool?.rawValue ?? "-") cannot resize running jobs")
        }
        try await engine.resize(spec)
    }

    public func logs(_ job: JobID, pool: PoolID?, from offset: Int, limit: Int) async throws -> EngineLogChunk? {
        guard let engine = engine(forPool: pool) as? any LogReadingEngine else { return nil }
        return try await engine.logs(job, pool: pool, from: offset, limit: limit)
    }

    /// The samples of every engine that can read its devices (the simulator); none when no engine can.
    public func deviceSamples(at now: Double, load: [JobID: OfferedLoad]) async throws -> [DeviceSample] {
        var samples: [DeviceSample] = []
        for case let source as any TelemetryReporting in all { samples += try await source.deviceSamples(at: now, load: load) }
        return samples
    }

    public func poll() async {
        for case let engine as any PollingEngine in all { await engine.poll() }
    }

    public func events() -> AsyncStream<EngineEvent> {
        let streams = all.map { $0.events() }
        return AsyncStream { continuation in
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    for stream in streams {
                        group.addTask { for await event in stream { continuation.yield(event) } }
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
