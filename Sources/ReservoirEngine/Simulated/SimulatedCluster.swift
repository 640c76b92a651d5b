import ReservoirCore

/// The simulated cluster as a pure state machine: jobs start when submitted, finish when their
/// runtime has passed on the simulated clock, and may fail by injection. Time moves only through
/// `advance(to:)`, so tests and trace replays drive it deterministically (like NIO's EmbeddedEventLoop).
public struct SimulatedCluster: Sendable {
    /// A job the simulator runs.
    public struct Run: Sendable, Hashable {
        public var spec: EngineJobSpec
        public var engineID: String
        public var phase: EngineJobPhase
        public var startedAt: Double
        /// When it will end on its own (success or injected failure).
        public var endsAt: Double
        public var failsAtEnd: Bool
        /// Set while a preemption's grace period runs.
        public var evictAt: Double?
        public var finishedAt: Double?

        /// 0 for a success, 1 for an injected failure; nil while running or when it did not exit by itself.
        public var exitCode: Int? {
            switch phase {
            case .succeeded: 0
            case .failed: 1
            default: nil
            }
        }
    }

    public private(set) var runs: [JobID: Run] = [:]
    public private(set) var now: Double
    /// Probability that a job fails instead of completing (failure injection), 0…1.
    public var failureRate: Double
    private var rng: SplitMix64
    private var nextID = 1

    public init(now: Double, failureRate: Double = 0, seed: UInt64 = 42) {
        self.now = now
        self.failureRate = failureRate
        self.rng = SplitMix64(seed: seed)
    }

    /// Starts a job now; a second submit of a job that is not finished is a no-op (idempotent).
    public mutating func submit(_ spec: EngineJobSpec) -> (engineID: String, events: [EngineEvent]) {
        if let existing = runs[spec.job], !existing.phase.isFinal { return (existing.engineID, []) }
        let runtime = max(0.001, spec.runtimeSeconds ?? 3_600)
        let fails = failureRate > 0 && rng.nextUnit() < failureRate
        let endsAt = now + (fails ? runtime * rng.nextUnit() : runtime)
        let id = "sim-\(nextID)"
        nextID += 1
        runs[spec.job] = Run(spec: spec, engineID: id, phase: .running, startedAt: now, endsAt: endsAt, failsAtEnd: fails)
        return (id, [EngineEvent(job: spec.job, kind: .started, at: now)])
    }

    /// Records a running job's new size; its remaining runtime is unchanged.
    public mutating func resize(_ spec: EngineJobSpec) {
        guard var run = runs[spec.job], !run.phase.isFinal else { return }
        run.spec.replicas = spec.replicas
        run.spec.placements = spec.placements
        runs[spec.job] = run
    }

    public mutating func cancel(_ job: JobID) -> [EngineEvent] {
        guard var run = runs[job], !run.phase.isFinal else { return [] }
        run.phase = .cancelled
        run.finishedAt = now
        runs[job] = run
        return [EngineEvent(job: job, kind: .cancelled, at: now)]
    }

    /// Schedules an eviction after the grace period (the job may checkpoint meanwhile).
    public mutating func preempt(_ job: JobID, graceSeconds: Double) -> [EngineEvent] {
        guard var run = runs[job], !run.phase.isFinal else { return [] }
        run.evictAt = now + max(0, graceSeconds)
        runs[job] = run
        return advance(to: now)
    }

    /// Moves the clock forward and returns what happened meanwhile, in time order.
    public mutating func advance(to time: Double) -> [EngineEvent] {
        now = max(now, time)
        var events: [EngineEvent] = []
        for (id, var run) in runs where !run.phase.isFinal {
            if let evictAt = run.evictAt, evictAt <= now, evictAt < run.endsAt {
                run.phase = .preempted
                run.finishedAt = evictAt
                events.append(EngineEvent(job: id, kind: .preempted, at: evictAt, message: "evicted after grace period"))
            } else if run.endsAt <= now {
                run.phase = run.failsAtEnd ? .failed : .succeeded
                run.finishedAt = run.endsAt
                events.append(EngineEvent(
                    job: id, kind: run.failsAtEnd ? .failed : .succeeded, at: run.endsAt,
                    message: run.failsAtEnd ? "injected failure" : nil, exitCode: run.exitCode))
            } else {
                continue
            }
            runs[id] = run
        }
        return events.sorted { $0.at == $1.at ? $0.job < $1.job : $0.at < $1.at }
    }

    /// The earliest time something will happen on its own, for discrete-event loops.
    public var nextEventTime: Double? {
        runs.values.filter { !$0.phase.isFinal }.map { min($0.endsAt, $0.evictAt ?? .infinity) }.min()
    }

    public func report(_ job: JobID) -> EngineJobReport {
        guard let run = runs[job] else { return EngineJobReport(job: job, engineID: "", phase: .unknown) }
        return EngineJobReport(
            job: job, engineID: run.engineID, phase: run.phase, startedAt: run.startedAt, finishedAt: run.finishedAt, exitCode: run.exitCode)
    }
}
