/// What kind of work a job is; profile matching sends each kind to the devices that suit it.
public enum WorkloadKind: String, Codable, Hashable, Sendable, CaseIterable {
    case training, inference, test, batch
}

/// Where one replica runs: a node, the device indices it holds, and the milli-GPU on each.
public struct ReplicaPlacement: Codable, Hashable, Sendable {
    public var replica: Int
    public var node: NodeID
    public var deviceIndices: [Int]
    /// Milli-GPU held on each listed device (1000 for whole GPUs).
    public var gpuMilli: Int
    /// First MIG slice of the instance, for MIG requests.
    public var migStartSlice: Int?
    public var cpuMilli: Int
    public var memoryMiB: Int

    public init(
        replica: Int, node: NodeID, deviceIndices: [Int], gpuMilli: Int, migStartSlice: Int? = nil, cpuMilli: Int,
        memoryMiB: Int
    ) {
        self.replica = replica
        self.node = node
        self.deviceIndices = deviceIndices
        self.gpuMilli = gpuMilli
        self.migStartSlice = migStartSlice
        self.cpuMilli = cpuMilli
        self.memoryMiB = memoryMiB
    }
}

/// Why a job is not running, in a form both machines and people can read.
public struct PendingReason: Codable, Hashable, Sendable {
    /// Machine-readable kind: `quota`, `capacity`, `constraint`, `gang`, `reservation`, `class`, `engine`.
    public var kind: String
    /// One sentence for a person.
    public var message: String
    /// Per-cause counts behind a capacity/constraint answer, e.g. `["insufficient GPU": 40, "model": 12]`.
    public var details: [String: Int]

    public init(kind: String, message: String, details: [String: Int] = [:]) {
        self.kind = kind
        self.message = message
        self.details = details
    }
}

/// A unit of work: `replicas` × `request`, run as one gang of at least `minMembers` replicas.
public struct Job: Codable, Hashable, Sendable {
    public var id: JobID
    public var name: String
    public var tenant: TenantID
    public var submittedBy: UserID
    public var pool: PoolID?
    public var kind: WorkloadKind
    public var replicas: Int
    /// Replicas that must start together (gang); defaults to all of them.
    public var minMembers: Int
    public var request: ResourceRequest
    public var priority: PriorityClass
    public var preemptible: Bool
    /// Runtime the submitter declares; the simulator runs the job that long, backfill plans with it.
    public var runtimeSeconds: Double?
    public var state: JobState
    /// Seconds since the reservoir epoch (times in the core are plain numbers: the core reads no clock).
    public var submittedAt: Double
    public var startedAt: Double?
    public var finishedAt: Double?
    /// Seconds of work already done in earlier runs (kept across preemption).
    public var progressSeconds: Double
    /// Set when the scheduler asked the engine to evict the job: it still holds its devices for
    /// the grace period (to checkpoint) and is never chosen as a victim again.
    public var evictionRequestedAt: Double? = nil
    /// Set while an engine call for the job is committed but not confirmed; see `PendingEngineCall`.
    public var pendingEngineCall: PendingEngineCall? = nil
    public var placements: [ReplicaPlacement]
    public var reason: PendingReason?
    /// Why a final job ended (failure message, cancel actor).
    public var message: String?
    /// Elastic ceiling: the scheduler may grow a running job up to this many replicas into idle
    /// capacity and shrink it back to `minMembers` before preempting it whole. Nil: `replicas`.
    public var maxReplicas: Int? = nil
    /// When the current run last saved a checkpoint; work since then is lost on preemption.
    /// Nil: no checkpoint yet in this run (everything since `startedAt` would be lost).
    public var checkpointedAt: Double? = nil
    /// What the job runs; nil: it only holds its devices for `runtimeSeconds` (see `JobCommand`).
    public var command: JobCommand? = nil
    /// The exit code of the last run the engine reported (non-zero for most failures).
    public var exitCode: Int? = nil
    /// The inference service this job is a replica of (`InferenceService`); nil for any other job.
    /// A replica runs until its service scales in or is deleted.
    public var service: ServiceID? = nil
    /// The grant the job runs under (`Grant`): admitted against the grant's quota and window, in its class.
    public var grant: GrantID? = nil
    /// The jobs the scheduler evicted to make room for this one, recorded for jobs under a grant: every
    /// use of the green channel is reported with what it preempted. Nil: none recorded.
    public var preempted: [JobID]? = nil
    /// The tenant's project the job's usage is charged to (showback per project); nil: the project of
    /// its grant's request, if any.
    public var project: String? = nil

    public init(
        id: JobID, name: String, tenant: TenantID, submittedBy: UserID, pool: PoolID? = nil,
        kind: WorkloadKind = .training, replicas: Int = 1, minMembers: Int? = nil, request: ResourceRequest,
        priority: PriorityClass = .p2, preemptible: Bool = true, runtimeSeconds: Double? = nil,
        state: JobState = .queued, submittedAt: Double = 0
    ) {
        self.id = id
        self.name = name
        self.tenant = tenant
        self.submittedBy = submittedBy
        self.pool = pool
        self.kind = kind
        self.replicas = replicas
        self.minMembers = minMembers ?? replicas
        self.request = request
        self.priority = priority
        self.preemptible = preemptible
        self.runtimeSeconds = runtimeSeconds
        self.state = state
        self.submittedAt = submittedAt
        self.progressSeconds = 0
        self.placements = []
    }

    /// Total milli-GPU the whole job holds when running.
    public var totalGPUMilli: Int { replicas * request.totalGPUMilli }

    /// Rejects malformed jobs, naming the field.
    public func validate() throws(ReservoirError) {
        try InputLimits.name(name, field: "name")
        try Bounds.check(replicas, "replicas", in: Bounds.replicas)
        guard minMembers >= 1, minMembers <= replicas else { throw .invalid("minMembers", "must be in 1…replicas") }
        if let runtimeSeconds {
            guard runtimeSeconds > 0, runtimeSeconds <= Bounds.runtimeSeconds.upperBound else {
                throw .invalid("runtimeSeconds", "must be in (0, one year]")
            }
        }
        try request.validate()
        try command?.validate()
    }

    /// Moves the job to `next`, enforcing the state machine.
    public mutating func transition(to next: JobState) throws(ReservoirError) {
        guard state.canTransition(to: next) else {
            throw ReservoirError(.conflict, field: "state", "job \(id) cannot go from \(state.rawValue) to \(next.rawValue)")
        }
        state = next
    }
}
