import Foundation
import ReservoirCore

/// The embedded engine: `SimulatedCluster` driven by wall time, optionally accelerated.
///
/// With `speed` 60, a job declaring one hour of runtime finishes after one real minute. Event times
/// are reported in wall-clock seconds, so the audit log and job times stay real. Call `poll()`
/// periodically (the server's engine service does, every 200 ms) to deliver completions.
///
/// It also reads its devices (`TelemetryReporting`): each running job loads the devices it was placed
/// on by its kind's `LoadProfile`, on the job's simulated time, so at `speed` 60 a one-hour training job
/// passes its checkpoint dips within one real minute.
public actor SimulatedEngine: ExecutionEngine, PollingEngine, ResizingEngine, LogReadingEngine, TelemetryReporting {
    public nonisolated let kind = EngineKind.simulated
    private var cluster: SimulatedCluster
    private let nodes: @Sendable () -> [Node]
    private let speed: Double
    private let wallClock: @Sendable () -> Double
    private let wallStart: Double
    private let injectsXID: Bool
    /// Simulated time of the previous telemetry sample: XID errors are counted since then.
    private var lastSampled = -Double.infinity
    private nonisolated let subscribers = Subscribers()

    /// - Parameters:
    ///   - nodes: the inventory the simulator pretends to have.
    ///   - speed: how many simulated seconds pass per real second.
    ///   - failureRate: probability that a job fails (failure injection).
    ///   - xidOnFailure: report an XID error on the devices of a job whose injected failure happened
    ///     since the previous telemetry sample (off: telemetry leaves XID counts unreported).
    ///   - clock: wall time in seconds since the Unix epoch; injected for tests.
    public init(
        nodes: [Node], speed: Double = 1, failureRate: Double = 0, seed: UInt64 = 42, xidOnFailure: Bool = false,
        clock: @escaping @Sendable () -> Double
    ) {
        self.init(inventory: { nodes }, speed: speed, failureRate: failureRate, seed: seed, xidOnFailure: xidOnFailure, clock: clock)
    }

    /// A simulator whose nodes are read when needed (the store's inventory, which the demo seeds after start).
    public init(
        inventory: @escaping @Sendable () -> [Node], speed: Double = 1, failureRate: Double = 0, seed: UInt64 = 42,
        xidOnFailure: Bool = false, clock: @escaping @Sendable () -> Double
    ) {
        self.nodes = inventory
        self.speed = max(speed, 0.001)
        self.wallClock = clock
        self.wallStart = clock()
        self.injectsXID = xidOnFailure
        self.cluster = SimulatedCluster(now: 0, failureRate: failureRate, seed: seed)
    }

    /// Simulated time corresponding to now.
    private func simulatedNow() -> Double { simulated(wallClock()) }
    private func simulated(_ wall: Double) -> Double { (wall - wallStart) * speed }
    private func wall(_ simulated: Double) -> Double { wallStart + simulated / speed }

    public func inventory() async throws -> [Node] { nodes() }

    /// One sample per accelerator of its nodes at `now` (a node that is down reports nothing): every running
    /// job loads the devices of its placements by its profile (shares on one device add up), other devices read idle.
    public func deviceSamples(at now: Double, load: [JobID: OfferedLoad]) async throws -> [DeviceSample] {
        publish(cluster.advance(to: simulatedNow()))
        let time = simulated(now)
        let since = lastSampled
        lastSampled = max(lastSampled, time)
        var holdings: [DeviceID: [DeviceHolding]] = [:]
        for run in cluster.runs.values {
            let running = run.phase == .running && run.startedAt <= time
            let failedSince = injectsXID && run.phase == .failed && (run.finishedAt ?? -.infinity) > since
            guard running || failedSince else { continue }
            let profile = LoadProfile(kind: run.spec.kind, job: run.spec.job)
            for placement in run.spec.placements {
                let holding = running
                    ? DeviceHolding(
                        profile: profile, share: Double(placement.gpuMilli) / 1_000, memoryMiB: run.spec.request.gpuMemoryMiB,
                        elapsed: time - run.startedAt, load: load[run.spec.job])
                    : DeviceHolding(profile: profile, share: 0, memoryMiB: 0, elapsed: 0, xidErrors: 1)
                for index in placement.deviceIndices {
                    holdings[Device.id(node: placement.node, index: index), default: []].append(holding)
                }
            }
        }
        let reachable = nodes().filter { $0.state != .down }
        return SimulatedTelemetry.samples(devices: reachable.flatMap(\.devices), holdings: holdings, at: now, xid: injectsXID)
    }

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
