/// The demand a feasibility check weighs (SPEC §5.3): what, where, for whom, and under which rules.
public struct ResourceDemand: Codable, Hashable, Sendable {
    public var tenant: TenantID
    public var terms: AllocationTerms
    public var category: RequestCategory
    /// Emergency demand may use the dynamic reserve and preempt lower classes.
    public var emergency: Bool

    public init(tenant: TenantID, terms: AllocationTerms, category: RequestCategory, emergency: Bool = false) {
        self.tenant = tenant
        self.terms = terms
        self.category = category
        self.emergency = emergency
    }
}

/// The water level of one pool and GPU model, in whole GPUs: what exists, what is allocated, what the
/// dynamic reserve and live grants hold back, what is free, and what queued work already waits for.
public struct WaterLevel: Codable, Hashable, Sendable {
    public var pool: PoolID
    public var model: String
    public var total: Int
    public var allocated: Int
    /// The pool's dynamic reserve (kept for P0) plus capacity promised to live grants and not yet used.
    public var reserved: Int
    public var free: Int
    /// GPUs asked by queued jobs that could run here.
    public var queued: Int
    /// Whether the pool is (part of) the strategic reserve.
    public var strategicReserve: Bool
    /// The part of `reserved` that is the pool's dynamic reserve: only the green channel (P0) takes it.
    public var dynamicReserve: Int
    /// GPUs that exist but take no work (failed, in maintenance, operator-reserved, or on a cordoned or down node).
    public var unavailable: Int
    /// GPUs held by preemptible work below P0: what an emergency may take besides the free and the dynamic reserve.
    public var preemptible: Int

    public init(
        pool: PoolID, model: String, total: Int, allocated: Int, reserved: Int, free: Int, queued: Int, strategicReserve: Bool,
        dynamicReserve: Int = 0, unavailable: Int = 0, preemptible: Int = 0
    ) {
        self.pool = pool
        self.model = model
        self.total = total
        self.allocated = allocated
        self.reserved = reserved
        self.free = free
        self.queued = queued
        self.strategicReserve = strategicReserve
        self.dynamicReserve = dynamicReserve
        self.unavailable = unavailable
        self.preemptible = preemptible
    }

    /// The most this pool and model could ever give one demand: its usable GPUs, less the dynamic
    /// reserve unless the demand is an emergency.
    public func capacity(emergency: Bool) -> Int { total - unavailable - (emergency ? 0 : dynamicReserve) }

    /// What one demand can take now: the free GPUs; an emergency also the dynamic reserve and what
    /// preemptible lower classes hold.
    public func availableNow(emergency: Bool) -> Int { emergency ? free + dynamicReserve + preemptible : free }
}

/// The answer of a feasibility check: fits now, must queue (with an estimated start), must shrink
/// (with what would fit), or is refused by a compliance rule.
public struct FeasibilityReport: Codable, Hashable, Sendable {
    public enum Verdict: String, Codable, Hashable, Sendable, CaseIterable {
        case fitsNow = "fits-now"
        case mustQueue = "must-queue"
        case mustShrink = "must-shrink"
        /// A compliance rule forbids it as asked (e.g. research on the strategic reserve).
        case refused
    }

    public var verdict: Verdict
    /// The pool (and model) the answer is about: the asked one, or the best candidate.
    public var pool: PoolID?
    public var model: String?
    /// Must queue: when Reservoir expects the capacity to be free (seconds since the epoch).
    public var estimatedStart: Double?
    /// Must shrink: the largest terms that would fit (now or ever, as `message` says).
    public var fits: AllocationTerms?
    /// Compliance rules the demand breaks, in words, each naming its rule.
    public var violations: [String]
    /// Whether the demand would take the strategic reserve (then the committee decides).
    public var usesStrategicReserve: Bool
    public var waterLevel: [WaterLevel]
    /// One or two sentences for the applicant.
    public var message: String

    public init(
        verdict: Verdict, pool: PoolID? = nil, model: String? = nil, estimatedStart: Double? = nil, fits: AllocationTerms? = nil,
        violations: [String] = [], usesStrategicReserve: Bool = false, waterLevel: [WaterLevel] = [], message: String
    ) {
        self.verdict = verdict
        self.pool = pool
        self.model = model
        self.estimatedStart = estimatedStart
        self.fits = fits
        self.violations = violations
        self.usesStrategicReserve = usesStrategicReserve
        self.waterLevel = waterLevel
        self.message = message
    }
}
