import ReservoirCore

/// Reads of grants: what admission, provisioning and feasibility need.
public protocol GrantReader: Sendable {
    func grant(_ id: GrantID) throws -> Grant?
    /// Every grant in state `active` (its window may not have opened yet, or may just have ended and
    /// await the expiry pass): the scheduler's and provisioning's input, all tenants.
    func activeGrants() throws -> [Grant]
    /// A page of grants, newest first, optionally of one tenant or state, and only green-channel grants
    /// (`emergency` true) or only the others (false).
    func grants(tenant: TenantID?, state: GrantState?, emergency: Bool?, page: PageRequest) throws -> Page<Grant>
}

extension GrantReader {
    /// A page of grants, newest first, optionally of one tenant or state.
    public func grants(tenant: TenantID?, state: GrantState?, page: PageRequest) throws -> Page<Grant> {
        try grants(tenant: tenant, state: state, emergency: nil, page: page)
    }
}

/// Which requests a list wants. Every filter is optional and they combine with AND.
public struct RequestFilter: Hashable, Sendable {
    public var tenant: TenantID?
    public var states: Set<RequestState>?
    /// Only requests whose current routing names this reviewer (an approver's inbox).
    public var reviewer: UserID?
    public var applicant: UserID?

    public init(tenant: TenantID? = nil, states: Set<RequestState>? = nil, reviewer: UserID? = nil, applicant: UserID? = nil) {
        self.tenant = tenant
        self.states = states
        self.reviewer = reviewer
        self.applicant = applicant
    }
}

/// Reads of resource requests.
public protocol RequestReader: GrantReader {
    func request(_ id: RequestID) throws -> AllocationRequest?
    /// A page of requests, newest first.
    func requests(_ filter: RequestFilter, page: PageRequest) throws -> Page<AllocationRequest>
    /// Undecided routed requests whose review deadline is before `time` and that were not escalated yet.
    func overdueRequests(at time: Double) throws -> [AllocationRequest]
}

/// The requests context's port: requests and the grants they become. Every change is one transaction
/// holding the request, the grant it creates or changes, the notices that announce it (outbox) and the
/// audit entry; a request is re-read inside the transaction, so two reviewers deciding at once cannot
/// both win.
public protocol RequestStore: RequestReader, IdempotencyStore {
    /// Stores a new request (and, when decided at intake, its grant) with its notices, under the id it carries.
    func createRequest(
        _ request: AllocationRequest, grant: Grant?, notices: [OutboxNotification], idempotency: IdempotencyKey?, by who: Attribution
    ) throws
    /// Numbers a new request (`RequestID.numbered`) inside the creating transaction and hands the id to
    /// `build`, which makes the request, its grant (if decided at intake) and its notices; stores them as
    /// `createRequest(_:grant:notices:idempotency:by:)` does. Returns what was stored.
    func createRequest(
        idempotency: IdempotencyKey?, by who: Attribution, build: (RequestID) throws -> NewRequest
    ) throws -> NewRequest
    /// Re-reads the request, applies `change` (which may refuse by throwing, e.g. a second decision) and
    /// stores it with the grant the change created or changed (if any) and its notices. Returns the stored request.
    @discardableResult
    func updateRequest(
        _ id: RequestID, action: String, by who: Attribution,
        change: (inout AllocationRequest) throws -> RequestChangeEffects
    ) throws -> AllocationRequest
    /// Re-reads a grant and its request, applies `change` to both (expiry, activation, return) and stores
    /// them with the notices it returns. Returns the stored grant.
    @discardableResult
    func updateGrant(
        _ id: GrantID, action: String, by who: Attribution,
        change: (inout Grant, inout AllocationRequest) throws -> [OutboxNotification]
    ) throws -> Grant
}

/// What a request change writes beside the request itself.
public struct RequestChangeEffects: Sendable {
    public var grant: Grant?
    public var notices: [OutboxNotification]

    public init(grant: Grant? = nil, notices: [OutboxNotification] = []) {
        self.grant = grant
        self.notices = notices
    }
}

/// A request as intake makes it: the request, the grant when it was decided in the same call, and the
/// notices announcing it.
public struct NewRequest: Sendable {
    public var request: AllocationRequest
    public var grant: Grant?
    public var notices: [OutboxNotification]

    public init(request: AllocationRequest, grant: Grant? = nil, notices: [OutboxNotification] = []) {
        self.request = request
        self.grant = grant
        self.notices = notices
    }
}
