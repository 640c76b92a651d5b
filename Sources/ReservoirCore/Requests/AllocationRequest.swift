/// A resource request as Reservoir keeps it: the form, what it asks for, the estimate and feasibility
/// attached at intake, where it is routed, every review, the grant it became, and every state change.
/// Named "allocation request" in code because `ResourceRequest` is one replica's devices.
public struct AllocationRequest: Codable, Hashable, Sendable {
    public var id: RequestID
    public var tenant: TenantID
    public var applicant: UserID
    public var form: RequestForm
    /// The terms the form asks for (for inference without `gpus`: the estimator's answer).
    public var asked: AllocationTerms
    public var state: RequestState
    public var submittedAt: Double
    public var updatedAt: Double
    /// The estimator's answer at intake (nil when the form gave too little to estimate).
    public var estimate: RequestEstimate?
    /// Feasibility against the live water level and the compliance rules, at intake.
    public var feasibility: FeasibilityReport?
    /// Who must decide, by when (nil for a request decided at intake).
    public var routing: Routing?
    public var reviews: [Review]
    /// The terms approved (equal to `asked` unless approved with changes).
    public var approved: AllocationTerms?
    public var grant: GrantID?
    public var history: [RequestTransition]

    public init(
        id: RequestID, tenant: TenantID, applicant: UserID, form: RequestForm, asked: AllocationTerms, submittedAt: Double
    ) {
        self.id = id
        self.tenant = tenant
        self.applicant = applicant
        self.form = form
        self.asked = asked
        self.state = .submitted
        self.submittedAt = submittedAt
        self.updatedAt = submittedAt
        self.reviews = []
        self.history = []
    }

    /// Moves the request to `next`, enforcing the state machine and recording who and why.
    public mutating func transition(to next: RequestState, at time: Double, actor: String, reason: String) throws(ReservoirError) {
        guard state.canTransition(to: next) else {
            throw ReservoirError(.conflict, field: "state", "request \(id) is \(state.rawValue) and cannot become \(next.rawValue)")
        }
        history.append(RequestTransition(from: state, to: next, at: time, actor: actor, reason: reason))
        state = next
        updatedAt = time
    }

    /// Whether a routed request has passed its review deadline undecided.
    public func isOverdue(at now: Double) -> Bool {
        guard state.awaitsDecision, let routing else { return false }
        return now > routing.dueAt
    }
}

/// One state change of a request, for its timeline.
public struct RequestTransition: Codable, Hashable, Sendable {
    public var from: RequestState
    public var to: RequestState
    public var at: Double
    /// `user:ID`, or `system:…` for Reservoir's own steps (auto-approval, escalation, expiry).
    public var actor: String
    public var reason: String

    public init(from: RequestState, to: RequestState, at: Double, actor: String, reason: String) {
        self.from = from
        self.to = to
        self.at = at
        self.actor = actor
        self.reason = reason
    }
}

/// The estimator's answer kept with a request, in the terms reviewers compare (and, for training, the
/// pair later compared with the actual GPU-hours to calibrate the estimator).
public struct RequestEstimate: Codable, Hashable, Sendable {
    /// GPUs the estimate recommends (training: the asked count or the memory minimum; inference: peak/per-GPU + HA).
    public var gpus: Int
    /// Training only: GPU-hours and wall-clock hours at `gpus`.
    public var gpuHours: Double?
    public var wallClockHours: Double?
    /// Relative calibration error of the estimator for this model (0.11 = 11 %).
    public var calibrationError: Double?
    /// The assumptions in words.
    public var summary: String

    public init(gpus: Int, gpuHours: Double? = nil, wallClockHours: Double? = nil, calibrationError: Double? = nil, summary: String) {
        self.gpus = gpus
        self.gpuHours = gpuHours
        self.wallClockHours = wallClockHours
        self.calibrationError = calibrationError
        self.summary = summary
    }
}
