import ReservoirCore

/// The rules of the request life cycle (`requests:` in the configuration file, docs/CONFIG.md and
/// docs/REQUESTS.md): who reviews what, by when, what compliance forbids, and what counts as an emergency.
public struct RequestSettings: Codable, Hashable, Sendable {
    public var approval = ApprovalRules()
    public var compliance = ComplianceRules()
    public var emergency = EmergencyRules()

    public init() {}
}

/// Tiered approval (SPEC §5.4). Defaults follow the source document: auto-approve fewer than 4 GPUs
/// for less than 7 days; larger or longer → the tenant's manager; very large → HQ operations; the
/// strategic reserve → the committee.
public struct ApprovalRules: Codable, Hashable, Sendable {
    /// Requests with fewer GPUs than this…
    public var autoApproveBelowGPUs = 4
    /// …and a window shorter than this many days (no fixed term never counts as short) are approved at once.
    public var autoApproveBelowDays = 7.0
    /// Requests of at least this many GPUs go to HQ operations instead of the tenant's manager.
    public var hqAtGPUs = 64
    /// Working days a reviewer has before a routed request is overdue and escalated.
    public var reviewDeadlineWorkingDays = 1.0
    /// Real seconds between two escalation passes over the overdue reviews (deadlines are on Reservoir's clock).
    public var escalationCheckSeconds = 60.0
    /// Users on the strategic-reserve committee.
    public var committee: [String] = []
    /// Distinct committee approvals a strategic-reserve request needs.
    public var committeeApprovals = 2

    public init() {}
}

/// Compliance rules feasibility checks (SPEC §5.3).
public struct ComplianceRules: Codable, Hashable, Sendable {
    /// Pools that make up the strategic reserve: only the committee grants them.
    public var strategicReservePools: [String] = []
    /// Request categories that may never take the strategic reserve.
    public var strategicReserveForbiddenCategories: [String] = [RequestCategory.research.rawValue]
    /// The largest share of a pool's GPUs one tenant may hold (0…1): its running work plus the unused part
    /// of its live grants (quotas are ceilings that overlap, not holdings). The green channel is exempt.
    public var maxTenantShare = 0.5

    public init() {}
}

/// The emergency green channel (SPEC §5.6).
public struct EmergencyRules: Codable, Hashable, Sendable {
    /// The categories an emergency request must name.
    public var categories = ["production-outage", "security-incident", "regulatory-deadline"]
    /// Hours an emergency grant lasts unless the emergency approver says otherwise.
    public var defaultHours = 72.0

    public init() {}
}
