/// What an approved request becomes (SPEC §5.5): a quota of `gpuMilli` on one pool (and GPU model)
/// for a time window, run in one priority class, provisioned on the engine. Jobs submitted under it
/// (`Job.grant`) are admitted against it; once its window ends it admits nothing new.
public struct Grant: Codable, Hashable, Sendable {
    public var id: GrantID
    public var request: RequestID
    public var tenant: TenantID
    public var pool: PoolID
    /// Catalog GPU model; nil: any model of the pool.
    public var model: String?
    public var gpuMilli: Int
    /// The class its jobs run in: P0 on the green channel, else the category's class.
    public var priority: PriorityClass
    public var category: RequestCategory
    /// Set on the green channel: the grant may use the pool's dynamic reserve and preempt lower classes.
    public var emergency: EmergencyDetails?
    public var state: GrantState
    /// The window (seconds since the epoch); `endsAt` nil: no fixed term.
    public var startsAt: Double
    public var endsAt: Double?
    /// The estimate's GPU-hours at grant time, compared with the actual use to calibrate the estimator.
    public var estimatedGPUHours: Double?
    /// How to use it on the engine it was provisioned on.
    public var access: GrantAccess
    public var createdAt: Double
    /// Who approved it (`user:ID`, or `system:auto-approval`).
    public var approvedBy: String
    /// Extension requests of its lease, newest last (nil: none).
    public var extensions: [LeaseExtension]? = nil
    /// Lease notices already sent, as days before the end they announced (7, 3, 1), so a restart never sends one twice.
    public var noticesSent: [Int]? = nil

    public init(
        id: GrantID, request: RequestID, tenant: TenantID, pool: PoolID, model: String?, gpuMilli: Int, priority: PriorityClass,
        category: RequestCategory, emergency: EmergencyDetails? = nil, startsAt: Double, endsAt: Double?, estimatedGPUHours: Double? = nil,
        access: GrantAccess, createdAt: Double, approvedBy: String
    ) {
        self.id = id
        self.request = request
        self.tenant = tenant
        self.pool = pool
        self.model = model
        self.gpuMilli = gpuMilli
        self.priority = priority
        self.category = category
        self.emergency = emergency
        self.state = .active
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.estimatedGPUHours = estimatedGPUHours
        self.access = access
        self.createdAt = createdAt
        self.approvedBy = approvedBy
    }

    /// Whether new work may be admitted under the grant at `time`: live, and inside its window.
    public func admits(at time: Double) -> Bool {
        state == .active && time >= startsAt && endsAt.map { time < $0 } ?? true
    }
}

public enum GrantState: String, Codable, Hashable, Sendable, CaseIterable {
    /// Provisioned; admits work inside its window.
    case active
    /// The window ended; admits nothing new (running work: the lease rules).
    case expired
    case returned
    case reclaimed
}

/// Engine-side access details returned to the applicant: where and how to submit under the grant.
public struct GrantAccess: Codable, Hashable, Sendable {
    /// `simulated` or `slurm` (the engine of the pool's cluster).
    public var engine: String
    /// Slurm account (the tenant's) and partition (the pool), QOS (the class); the simulator records the same names.
    public var account: String
    public var partition: String
    public var qos: String
    /// The Reservoir queue the grant's jobs wait in (the pool).
    public var queue: String
    /// How to submit, e.g. `reservoir submit --grant g-… --gpus 4 …`.
    public var instructions: String

    public init(engine: String, account: String, partition: String, qos: String, queue: String, instructions: String) {
        self.engine = engine
        self.account = account
        self.partition = partition
        self.qos = qos
        self.queue = queue
        self.instructions = instructions
    }
}
