import Dispatch
import ReservoirCore

/// The embedded engine: `SimulatedCluster` driven by wall time, optionally accelerated.
///
/// With `speed` 60, a job declaring one hour of runtime finishes after one real minute. Event times
/// are reported in wall-clock seconds, so the audit log and job times stay real. Call `poll()`
/// periodically (the server's engine service does, every 200 ms) to deliver completions.
public actor SimulatedEngine: ExecutionEngine, PollingEngine, ResizingEngine {
    public nonisolated let kind = EngineKind.simulated
    private var cluster: SimulatedCluster
    private let nodes: [Node]
    private let speed: Double
    private let wallClock: @Sendable () -> Double
    private let wallStart: Double
    private var continuations: [Int: AsyncStream<EngineEvent>.Continuation] = [:]
    private var nextSubscriber = 0

    /// - Parameters:
    ///   - nodes: the inventory the simulator pretends to have.
    ///   - speed: how many simulated seconds pass per real second.
    ///   - failureRate: probability that a job fails (failure injection).
    ///   - clock: wall time in seconds since the Unix epoch; injected for tests.
    public init(nodes: [Node], speed: Double = 1, failureRate: Double = 0, seed: UInt64 = 42, clock: @escaping @Sendable () -> Double) {
        self.nodes = nodes
        self.speed = max(speed, 0.001)
        self.wallClock = clock
        self.wallStart = clock()
        self.cluster = SimulatedCluster(now: 0, failureRate: failureRate, seed: seed)
    }

    /// Simulated time corresponding to now.
    private func simulatedNow() -> Double { (wallClock() - wallStart) * speed }
    private func wall(_ simulated: Double) -> Double { wallStart + simulated / speed }

    public func inventory() async throws -> [Node] { nodes }

    @discardableResult
    public func submit(_ spec: EngineJobSpec) async throws -> String {
        _ = cluster.advance(to: simulatedNow())
        let (id, events) = cluster.submit(spec)
        publish(events)
        return id
    }

    public func cancel(_ job: JobID) async throws {
        _ = cluster.advance(to: simulatedNow())
        publish(cluster.cancel(job))
    }

    public func preempt(_ job: JobID, graceSeconds: Double) async throws {
        publish(cluster.advance(to: simulatedNow()))
        publish(cluster.preempt(job, graceSeconds: graceSeconds * speed))
    }

    public func resize(_ spec: EngineJobSpec) async throws { cluster.resize(spec) }

    public func status(_ job: JobID) async throws -> EngineJobReport { toWall(cluster.report(job)) }

    public func jobs() async throws -> [EngineJobReport] { cluster.runs.keys.sorted().map { toWall(cluster.report($0)) } }

    public nonisolated func events() -> AsyncStream<EngineEvent> {
        let (stream, continuation) = AsyncStream<EngineEvent>.makeStream()
        Task { await self.subscribe(continuation) }
        return stream
    }

    /// Advances the simulation to now and delivers what finished.
    public func poll() { publish(cluster.advance(to: simulatedNow())) }

    private func subscribe(_ continuation: AsyncStream<EngineEvent>.Continuation) {
        let key = nextSubscriber
        nextSubscriber += 1
        continuations[key] = continuation
    }

    private func publish(_ events: [EngineEvent]) {
        for var event in events {
            event.at = wall(event.at)
            for c in continuations.values { c.yield(event) }
        }
    }

    private func toWall(_ report: EngineJobReport) -> EngineJobReport {
        var r = report
        r.startedAt = report.startedAt.map(wall)
        r.finishedAt = report.finishedAt.map(wall)
        return r
    }
}
