import Foundation
import ReservoirCore

/// The embedded engine: `SimulatedCluster` driven by wall time, optionally accelerated.
///
/// With `speed` 60, a job declaring one hour of runtime finishes after one real minute. Event times
/// are reported in wall-clock seconds, so the audit log and job times stay real. Call `poll()`
/// periodically (the server's engine service does, every 200 ms) to deliver completions.
public actor SimulatedEngine: ExecutionEngine, PollingEngine, ResizingEngine, LogReadingEngine {
    public nonisolated let kind = EngineKind.simulated
    private var cluster: SimulatedCluster
    private let nodes: [Node]
    private let speed: Double
    private let wallClock: @Sendable () -> Double
    private let wallStart: Double
    private nonisolated let subscribers = Subscribers()

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
        publish(cluster.advance(to: simulatedNow()))
        let (id, events) = cluster.submit(spec)
        publish(events)
        return id
    }

    public func cancel(_ job: JobID) async throws {
        publish(cluster.advance(to: simulatedNow()))
        publish(cluster.cancel(job))
    }

    public func preempt(_ job: JobID, graceSeconds: Double) async throws {
        publish(cluster.advance(to: simulatedNow()))
        publish(cluster.preempt(job, graceSeconds: graceSeconds * speed))
    }

    public func resize(_ spec: EngineJobSpec) async throws {
        publish(cluster.advance(to: simulatedNow()))
        cluster.resize(spec)
    }

    public func status(_ job: JobID) async throws -> EngineJobReport { toWall(cluster.report(job)) }

    public func jobs() async throws -> [EngineJobReport] { cluster.runs.keys.sorted().map { toWall(cluster.report($0)) } }

    /// The synthetic log (`SimulatedCluster.log`) as of now.
    public func logs(_ job: JobID, pool: PoolID?, from offset: Int, limit: Int) async throws -> EngineLogChunk? {
        publish(cluster.advance(to: simulatedNow()))
        return cluster.log(job).map { EngineLogChunk.slice(Array($0.utf8), from: offset, limit: limit, location: "simulator") }
    }

    /// Subscribes before returning, so no event published after this call is missed.
    public nonisolated func events() -> AsyncStream<EngineEvent> {
        let (stream, continuation) = AsyncStream<EngineEvent>.makeStream()
        subscribers.add(continuation)
        return stream
    }

    /// Advances the simulation to now and delivers what finished.
    public func poll() { publish(cluster.advance(to: simulatedNow())) }

    private func publish(_ events: [EngineEvent]) {
        for var event in events {
            event.at = wall(event.at)
            subscribers.yield(event)
        }
    }

    private func toWall(_ report: EngineJobReport) -> EngineJobReport {
        var r = report
        r.startedAt = report.startedAt.map(wall)
        r.finishedAt = report.finishedAt.map(wall)
        return r
    }
}

/// The event streams handed out by `events()`; locked so subscribing needs no hop onto the actor.
private final class Subscribers: @unchecked Sendable {
    private let lock = NSLock()
    private var continuations: [Int: AsyncStream<EngineEvent>.Continuation] = [:]
    private var next = 0

    func add(_ continuation: AsyncStream<EngineEvent>.Continuation) {
        let key = lock.withLock {
            next += 1
            continuations[next] = continuation
            return next
        }
        continuation.onTermination = { [weak self] _ in self?.remove(key) }
    }

    func yield(_ event: EngineEvent) {
        for c in lock.withLock({ Array(continuations.values) }) { c.yield(event) }
    }

    private func remove(_ key: Int) { lock.withLock { _ = continuations.removeValue(forKey: key) } }
}
