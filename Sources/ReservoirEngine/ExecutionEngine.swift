import ReservoirCore

/// What Reservoir hands an engine to run: the decision, already committed to the store.
public struct EngineJobSpec: Codable, Hashable, Sendable {
    /// Reservoir's id; engines tag their own job with it so reconciliation never trusts an engine id alone.
    public var job: JobID
    public var name: String
    public var tenant: TenantID
    public var pool: PoolID?
    public var priority: PriorityClass
    public var preemptible: Bool
    public var request: ResourceRequest
    public var replicas: Int
    /// Where Reservoir placed each replica; empty when the engine places (Slurm "engine places" mode).
    public var placements: [ReplicaPlacement]
    /// Seconds of work left to do (declared runtime minus progress); the simulator runs this long.
    public var runtimeSeconds: Double?
    /// Hard time limit for engines that enforce one.
    public var timeLimitSeconds: Double?
    /// What to run; nil: hold the devices for the runtime (each engine documents what it does then).
    public var command: JobCommand? = nil
    /// What kind of work it is; the simulator loads the devices by its kind (`LoadProfile`).
    public var kind: WorkloadKind = .training

    public init(
        job: JobID, name: String, tenant: TenantID, pool: PoolID?, priority: PriorityClass, preemptible: Bool,
        request: ResourceRequest, replicas: Int, placements: [ReplicaPlacement], runtimeSeconds: Double?,
        timeLimitSeconds: Double? = nil
    ) {
        self.job = job
        self.name = name
        self.tenant = tenant
        self.pool = pool
        self.priority = priority
        self.preemptible = preemptible
        self.request = request
        self.replicas = replicas
        self.placements = placements
        self.runtimeSeconds = runtimeSeconds
        self.timeLimitSeconds = timeLimitSeconds
    }

    public init(job: Job, remainingSeconds: Double?) {
        self.init(
            job: job.id, name: job.name, tenant: job.tenant, pool: job.pool, priority: job.priority,
            preemptible: job.preemptible, request: job.request, replicas: job.replicas, placements: job.placements,
            runtimeSeconds: remainingSeconds
        )
        self.command = job.command
        self.kind = job.kind
    }
}

/// The engine's view of one job.
public enum EngineJobPhase: String, Codable, Hashable, Sendable {
    case pending, running, succeeded, failed, cancelled, preempted
    /// The engine has no record of the job.
    case unknown

    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled || self == .preempted }
}

/// One job as the engine reports it, for reconciliation.
public struct EngineJobReport: Codable, Hashable, Sendable {
    public var job: JobID
    /// The engine's own id (Slurm job id, pod uid); informational only.
    public var engineID: String
    public var phase: EngineJobPhase
    public var startedAt: Double?
    public var finishedAt: Double?
    public var message: String?
    /// The finished run's exit code, when the engine knows it.
    public var exitCode: Int?

    public init(
        job: JobID, engineID: String, phase: EngineJobPhase, startedAt: Double? = nil, finishedAt: Double? = nil, message: String? = nil,
        exitCode: Int? = nil
    ) {
        self.job = job
        self.engineID = engineID
        self.phase = phase
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.message = message
        self.exitCode = exitCode
    }
}

/// Something that happened to a job on the engine, in engine time (seconds since the Unix epoch).
public struct EngineEvent: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable {
        case started, succeeded, failed, cancelled, preempted
    }

    public var job: JobID
    public var kind: Kind
    public var at: Double
    public var message: String?
    /// For `succeeded` and `failed`: the run's exit code, when the engine knows it.
    public var exitCode: Int?

    public init(job: JobID, kind: Kind, at: Double, message: String? = nil, exitCode: Int? = nil) {
        self.job = job
        self.kind = kind
        self.at = at
        self.message = message
        self.exitCode = exitCode
    }
}

/// An execution engine runs what Reservoir decided. The simulator, Slurm and Kubernetes sit behind
/// this one protocol; Reservoir never assumes more than it promises.
///
/// Contract:
/// - `submit` is called only after the decision is committed; it must be idempotent per `JobID`
///   (a second submit of a job the engine already runs is a no-op), because recovery resubmits.
/// - `cancel` and `preempt` of an unknown or finished job succeed silently.
/// - `events()` delivers each state change at least once; consumers deduplicate by state.
public protocol ExecutionEngine: Sendable {
    var kind: EngineKind { get }
    /// Nodes and devices the engine knows, for import and reconciliation.
    func inventory() async throws -> [Node]
    /// Starts a job. Returns the engine's own id for it.
    @discardableResult
    func submit(_ spec: EngineJobSpec) async throws -> String
    func cancel(_ job: JobID) async throws
    /// Evicts a job after `graceSeconds` (time to checkpoint); it ends with a `preempted` event.
    func preempt(_ job: JobID, graceSeconds: Double) async throws
    func status(_ job: JobID) async throws -> EngineJobReport
    /// Every job the engine knows that Reservoir tagged, for reconciliation after a restart.
    func jobs() async throws -> [EngineJobReport]
    /// State changes, as they happen.
    func events() -> AsyncStream<EngineEvent>
}

/// An engine that learns about state changes by being asked periodically (the simulator advances
/// its clock; a REST engine polls). The engine-event service calls `poll()` a few times a second.
public protocol PollingEngine: Sendable {
    func poll() async
}

/// Elastic jobs change size while running; engines that can follow implement this.
public protocol ResizingEngine: Sendable {
    /// Applies a running job's new replica count and placements.
    func resize(_ spec: EngineJobSpec) async throws
}

/// Engines that keep a job's output (stdout and stderr together) implement this; `GET /v1/jobs/{id}/logs`
/// and `reservoir job logs` read through it.
public protocol LogReadingEngine: Sendable {
    /// Up to `limit` bytes of the output of `job` (of `pool`) from byte `offset`, of its latest run;
    /// nil when the engine holds no output for the job.
    func logs(_ job: JobID, pool: PoolID?, from offset: Int, limit: Int) async throws -> EngineLogChunk?
}

/// A piece of a job's output. Chunks end on a UTF-8 character boundary, so `nextOffset` is where the
/// next read starts and no character is ever split.
public struct EngineLogChunk: Codable, Hashable, Sendable {
    public var text: String
    public var offset: Int
    public var nextOffset: Int
    /// Bytes of output that exist now; `nextOffset == size` means everything written so far was read.
    public var size: Int
    /// Where the engine keeps the output (a file on the cluster's shared filesystem, for Slurm).
    public var location: String?

    public init(text: String, offset: Int, nextOffset: Int, size: Int, location: String? = nil) {
        self.text = text
        self.offset = offset
        self.nextOffset = nextOffset
        self.size = size
        self.location = location
    }

    /// The chunk of a whole output `bytes` from `offset`, at most `limit` bytes.
    public static func slice(_ bytes: [UInt8], from offset: Int, limit: Int, location: String? = nil) -> EngineLogChunk {
        let start = min(max(0, offset), bytes.count)
        let end = min(bytes.count, start + max(0, limit))
        return EngineLogChunk(window: Array(bytes[start..<end]), at: start, size: bytes.count, location: location)
    }

    /// A chunk from `window`, the bytes read at `offset` of an output of `size` bytes. When more output
    /// follows, an incomplete character at the end is left for the next read.
    public init(window: [UInt8], at offset: Int, size: Int, location: String? = nil) {
        var end = window.count
        if offset + window.count < size, let last = window.indices.last {
            var lead = last
            while lead > 0, last - lead < 3, window[lead] & 0xC0 == 0x80 { lead -= 1 }
            let byte = window[lead]
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            if window.count - lead < length, lead > 0 { end = lead }
        }
        self.init(
            text: String(decoding: window[..<end], as: UTF8.self), offset: offset, nextOffset: offset + end, size: size, location: location)
    }
}
