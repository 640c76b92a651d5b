/// Why capacity was taken back (SPEC §5.7).
public enum ReclamationReason: String, Codable, Hashable, Sendable, CaseIterable {
    /// A lease ran out (after its notices; L2 fine-tuning by default).
    case expiry
    /// Utilization showed it unused: an idle inference service (confirmed with its owner), an idle
    /// interactive/test allocation past its idle timeout.
    case idle
    /// The owner gave it back (`reservoir grant return`).
    case voluntary
    /// An operator took it back outside the rules; only with an approval record.
    case forced
}

/// What a reclamation took back.
public enum ReclaimedKind: String, Codable, Hashable, Sendable, CaseIterable {
    case grant
    /// Replicas of an inference service (a shrink takes some, a reclaim all).
    case service
    /// An interactive/test job (an allocation outside any grant).
    case job
}

/// One durable record per reclamation: what, why, from whom, when, who approved it, and the GPU-hours
/// it freed. Written in the transaction of the reclamation itself; listed by `GET /v1/reclamations`,
/// `reservoir reclamations --month`, and the monthly report.
public struct ReclamationRecord: Codable, Hashable, Sendable {
    /// `recl-<kind>-<object id>-<n>`: stable, so a reclamation completed again after a crash is recognised.
    public var id: String
    public var kind: ReclaimedKind
    /// The grant id, service id or job id taken back.
    public var object: String
    public var reason: ReclamationReason
    public var tenant: TenantID
    public var pool: PoolID?
    public var model: String?
    /// GPUs taken back (milli-GPU, so fractional shares count exactly).
    public var gpuMilli: Int
    public var at: Double
    /// Who did it: `user:ID`, or `system:leases` / `system:idle` for Reservoir's own passes.
    public var actor: String
    /// The approval behind it: required for `forced` (an operator's reference, e.g. a ticket), the
    /// extension/confirmation decision otherwise when one exists.
    public var approvedBy: String?
    /// GPU-hours freed: the GPUs taken back × the hours they would still have been held (until the
    /// window's end; 30 days for no fixed term), so a voluntary early return is credited for what it gave up.
    public var freedGPUHours: Double
    /// Jobs stopped or requeued by it (each got its checkpoint grace period).
    public var jobs: [JobID]
    /// One or two sentences for people.
    public var note: String

    public init(
        id: String, kind: ReclaimedKind, object: String, reason: ReclamationReason, tenant: TenantID, pool: PoolID? = nil, model: String? = nil,
        gpuMilli: Int, at: Double, actor: String, approvedBy: String? = nil, freedGPUHours: Double, jobs: [JobID] = [], note: String
    ) {
        self.id = id
        self.kind = kind
        self.object = object
        self.reason = reason
        self.tenant = tenant
        self.pool = pool
        self.model = model
        self.gpuMilli = gpuMilli
        self.at = at
        self.actor = actor
        self.approvedBy = approvedBy
        self.freedGPUHours = freedGPUHours
        self.jobs = jobs
        self.note = note
    }

    /// Hours freed when nothing else says: what a no-fixed-term allocation counts as given up.
    public static let openEndedHours = 30.0 * 24
}
