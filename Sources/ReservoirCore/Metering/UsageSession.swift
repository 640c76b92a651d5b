/// One metered segment of an allocation: a job (or a service replica) holding a fixed quantity of one
/// device model from `startedAt` until `endedAt`. Metering, billing, showback and the monthly report are
/// computed from these and nothing else.
///
/// A session opens in the transaction that allocates the devices and closes in the one that frees them
/// (finish, failure, cancel, preemption, reclamation) or changes them (a resize closes the segment and
/// opens another at the new size), so a restart can neither lose one nor count one twice. While open
/// (`endedAt == nil`) it counts in live usage up to "now".
public struct UsageSession: Codable, Hashable, Sendable {
    /// The store's row id (0 before it is stored): the stable order and the paging key.
    public var id: Int64
    public var job: JobID
    public var tenant: TenantID
    /// The tenant's project the work is charged to (the job's, else its grant's request's); nil: none named.
    public var project: String?
    /// The inference service the job is a replica of.
    public var service: ServiceID?
    /// The grant the job ran under.
    public var grant: GrantID?
    public var pool: PoolID?
    /// The catalog model of the devices held ("" for CPU-only work, which is not billed).
    public var model: String
    /// Milli-GPU held over the whole segment, all replicas together: 1000 per whole GPU, the share for a
    /// fractional GPU, and a MIG instance's slices as their share of the device (`MIGProfile`).
    public var gpuMilli: Int
    /// Devices the segment touches (a share or a MIG instance counts its one device).
    public var devices: Int
    /// The MIG profile when the segment is a MIG instance, e.g. `3g.40gb`.
    public var migProfile: String?
    /// The job's priority class while the segment ran.
    public var priority: PriorityClass
    /// Preemptible work is billed at the spot rate.
    public var preemptible: Bool
    public var startedAt: Double
    /// Nil while the segment is open.
    public var endedAt: Double?
    /// Why the segment closed; nil while open.
    public var closedBy: UsageCloseReason?

    public init(
        id: Int64 = 0, job: JobID, tenant: TenantID, project: String? = nil, service: ServiceID? = nil, grant: GrantID? = nil,
        pool: PoolID?, model: String, gpuMilli: Int, devices: Int = 1, migProfile: String? = nil, priority: PriorityClass = .p2,
        preemptible: Bool = false, startedAt: Double, endedAt: Double?, closedBy: UsageCloseReason? = nil
    ) {
        self.id = id
        self.job = job
        self.tenant = tenant
        self.project = project
        self.service = service
        self.grant = grant
        self.pool = pool
        self.model = model
        self.gpuMilli = gpuMilli
        self.devices = devices
        self.migProfile = migProfile
        self.priority = priority
        self.preemptible = preemptible
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.closedBy = closedBy
    }

    public var isOpen: Bool { endedAt == nil }

    /// Seconds of the segment inside `[since, until)`, an open segment counted up to `now`.
    public func seconds(from since: Double, to until: Double, now: Double) -> Double {
        let end = min(endedAt ?? now, until)
        return max(0, end - max(startedAt, since))
    }

    /// GPU-seconds inside `[since, until)`, an open segment counted up to `now`.
    public func gpuSeconds(from since: Double, to until: Double, now: Double) -> Double {
        Double(gpuMilli) / 1000 * seconds(from: since, to: until, now: now)
    }
}

/// Why a usage segment closed.
public enum UsageCloseReason: String, Codable, Hashable, Sendable, CaseIterable {
    /// The job ended (succeeded, failed or cancelled) and freed its devices.
    case ended
    /// The scheduler preempted the job (it may run again in a new segment).
    case preempted
    /// The job was resized: this segment closed and one at the new size opened at the same instant.
    case resized
    /// Recovery closed it from the engine's records after a restart.
    case reconciled
}
