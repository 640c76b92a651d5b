import Foundation
import ReservoirCore
import ReservoirStore

/// Resource requests (SPEC §5.1–5.5): intake of the form, its estimate and feasibility, routing by the
/// approval rules, and — for a small standard request or the green channel opened by its approver — the
/// grant in the same call. Reviews, escalation and grants in effect extend this context elsewhere.
public struct RequestsContext: ApplicationContext {
    public typealias Store = RequestStore & InventoryReader & TenancyReader
    let store: any Store
    let jobs: JobsContext
    public let runtime: Runtime
    /// The feasibility check (water level and compliance) intake attaches; nil: none attached.
    var feasibility: (@Sendable (ResourceDemand) throws -> FeasibilityReport)?
    /// The runs the training estimate is calibrated on (published + recorded actuals, as `POST /v1/estimates`
    /// uses); nil: the published runs alone.
    var calibrationRuns: (@Sendable () throws -> [ReferenceRun])?

    init(store: any Store, jobs: JobsContext, runtime: Runtime) {
        self.store = store
        self.jobs = jobs
        self.runtime = runtime
    }

    /// This context on a clock `seconds` behind (the demo's past; see `Runtime.earlier(by:)`).
    func earlier(by seconds: Double) -> RequestsContext {
        var past = RequestsContext(store: store, jobs: jobs, runtime: runtime.earlier(by: seconds))
        past.feasibility = feasibility
        return past
    }

    // MARK: - Submit

    /// Takes a request: validates the whole form (every problem named at once), estimates it, checks its
    /// feasibility, routes it, and stores it — with its grant when approved now, in the same transaction.
    /// A `job` in the submission then runs under that grant. With an idempotency key, a retry returns the
    /// request the first call created.
    /// - Parameter action: the rule the caller is held to: `requests.submit`, or `emergency.open` for the
    ///   green channel (`openEmergency`).
    public func submit(
        _ submission: RequestSubmission, idempotencyKey: String? = nil, by principal: Principal, as action: Action = .submitRequests
    ) throws -> RequestReply {
        try access.requireAny(principal, action)
        let key = try Idempotency.key(idempotencyKey, route: "POST /v1/requests", request: submission, by: principal)
        if let earlier = try Idempotency.replay(key, in: store) {
            let request = try self.request(RequestID(String(earlier.dropFirst("requests/".count))), by: principal)
            return RequestReply(request: request, grant: try request.request.grant.flatMap(store.grant), message: "already submitted as \(request.request.id)")
        }
        let form = submission.form
        guard let tenant = form.tenant ?? principal.tenant else { throw ReservoirError.invalid("tenant", "is required: \(principal.user.id) belongs to no tenant") }
        try access.require(principal, action, tenant: tenant, field: "tenant")
        guard let owner = try store.tenants().first(where: { $0.id == tenant }) else { throw ReservoirError.notFound("tenant", "no tenant \(tenant)") }
        guard !owner.isDisabled else { throw ReservoirError(.conflict, field: "tenant", "tenant \(tenant) is disabled and takes no new requests") }
        if action != .openEmergency { try jobs.funds?.requireFunds(tenant, for: "requests") }

        let (inventory, catalog) = (try store.inventory(), try store.catalog())
        var problems = form.problems(RequestForm.Context(
            catalog: catalog, pools: Self.models(of: inventory), emergencyCategories: configuration.requests.emergency.categories,
            leases: configuration.leases))
        if let job = submission.job {
            do { try job.checkLimits() } catch { problems.append(ReservoirError(error.code, field: "job." + (error.field ?? "body"), error.message)) }
        }
        try ReservoirError.throwAll(problems)

        let now = clock()
        let estimate = try Self.estimate(form, catalog: catalog, runs: try calibrationRuns?() ?? ReferenceRun.published)
        var request = AllocationRequest(
            id: "req-new", tenant: tenant, applicant: principal.user.id, form: form,
            asked: try asked(form, estimate: estimate, catalog: catalog), submittedAt: now)
        request.estimate = estimate
        request.feasibility = try feasibility?(ResourceDemand(
            tenant: tenant, terms: request.asked, category: form.category ?? .fineTuning, emergency: form.emergency != nil))
        let decision = ApprovalRouting.route(
            request, feasibility: request.feasibility, rules: approvalRules, submitter: principal.user, users: try store.users(tenant: nil), at: now)
        var draft: Grant?
        if case .approveNow(let actor, _) = decision {
            draft = try GrantDraft.make(
                for: request, terms: request.asked, approvedBy: actor, at: now, inventory: inventory, preferred: request.feasibility?.pool)
        }
        let made = try store.createRequest(idempotency: key, by: attribution(principal)) { id in
            var request = request
            request.id = id
            var grant = draft
            grant?.id = id.grantID
            grant?.request = id
            try Self.decide(&request, decision, grant: grant, at: now)
            return NewRequest(request: request, grant: grant, notices: RequestNotices.announce(request, grant: grant))
        }
        notificationWakeups.poke()  // the request's notices were committed with it
        if made.grant != nil {
            // The grant raises its tenant's quota now: the engine's limits (provisioning) and the scheduler follow at once.
            provisioningWakeups.poke()
            wakeups.poke()
        }
        var reply = RequestReply(
            request: RequestView(made.request, at: now), grant: made.grant, message: Self.outcome(made.request, grant: made.grant))
        if let job = submission.job { (reply.job, reply.jobProblem) = startJob(job, under: made.grant, request: made.request, by: principal) }
        return reply
    }

    /// Applies the routing decision to a new request: approved and granted, rejected, or under review.
    static func decide(_ request: inout AllocationRequest, _ decision: ApprovalRouting.Decision, grant: Grant?, at now: Double) throws {
        switch decision {
        case .approveNow(let actor, let reason):
            try request.transition(to: .approved, at: now, actor: actor, reason: reason)
            guard let grant else { return }
            request.approved = AllocationTerms(pool: grant.pool, model: grant.model, gpus: request.asked.gpus, durationHours: request.asked.durationHours)
            request.grant = grant.id
            try request.transition(to: .granted, at: now, actor: actor, reason: "grant \(grant.id) on pool \(grant.pool)")
        case .rejectNow(let reason):
            try request.transition(to: .rejected, at: now, actor: "system:compliance", reason: reason)
        case .route(let routing):
            request.routing = routing
            let who = routing.reviewers.isEmpty ? "nobody yet (no \(routing.tier.rawValue) reviewer exists)" : routing.reviewers.map(\.rawValue).joined(separator: ", ")
            try request.transition(to: .underReview, at: now, actor: "system:routing", reason: "routed to \(who): \(routing.reason)")
        }
    }

    /// Submits the submission's job under the new grant; a routed or refused request starts nothing.
    private func startJob(_ job: JobSubmission, under grant: Grant?, request: AllocationRequest, by principal: Principal) -> (Job?, String?) {
        guard let grant else {
            return (nil, "not started: request \(request.id) is \(request.state.rawValue); submit the job with --grant once it is granted")
        }
        var job = job
        job.grant = grant.id.rawValue
        job.tenant = job.tenant ?? grant.tenant.rawValue
        job.pool = job.pool ?? grant.pool.rawValue
        do {
            return (try jobs.submit(job, by: principal), nil)
        } catch let error as ReservoirError {
            return (nil, "not started: \(error.field.map { "job.\($0): " } ?? "")\(error.message)")
        } catch {
            return (nil, "not started: \(error)")
        }
    }

    // MARK: - Withdraw

    /// Takes back an undecided request: whoever may submit requests for its tenant (the applicant's team;
    /// operators for any tenant), as the policy's `requests.submit` rule says.
    public func withdraw(_ id: RequestID, reason: String? = nil, by principal: Principal) throws -> RequestView {
        let current = try request(id, by: principal).request
        try access.require(principal, .submitRequests, tenant: current.tenant, field: "id")
        if let reason { try InputLimits.text(reason, field: "reason", maxBytes: InputLimits.nameBytes) }
        let now = clock()
        let stored = try store.updateRequest(id, action: "withdraw", by: attribution(principal)) { request in
            guard request.state.awaitsDecision else {
                throw ReservoirError(.conflict, field: "state", "request \(id) is \(request.state.rawValue): only an undecided request can be withdrawn")
            }
            try request.transition(to: .withdrawn, at: now, actor: principal.actor, reason: reason ?? "withdrawn by the applicant")
            return RequestChangeEffects(notices: RequestNotices.announce(request, reviewersToTell: request.routing?.reviewers ?? []))
        }
        notificationWakeups.poke()
        return RequestView(stored, at: now)
    }

    // MARK: - Read

    /// A request the caller may see: its tenant's (per the policy), or one routed to the caller.
    /// Anything else answers "not found", so ids do not leak.
    public func request(_ id: RequestID, by principal: Principal) throws -> RequestView {
        guard let request = try store.request(id),
            access.allows(principal, .readRequests, tenant: request.tenant)
                || (access.scope(principal, .reviewRequests) > .none && request.routing?.reviewers.contains(principal.user.id) == true)
        else { throw ReservoirError.notFound("id", "no request \(id)") }
        return RequestView(request, at: clock())
    }

    /// A page of requests, newest first: the caller's tenant's (every tenant's for operators and
    /// finance), or — with `reviewer` the caller — those routed to the caller.
    public func requests(
        tenant: TenantID? = nil, state: RequestState? = nil, applicant: UserID? = nil, reviewer: UserID? = nil, page: PageRequest, by principal: Principal
    ) throws -> Page<RequestView> {
        var filter = RequestFilter(tenant: tenant, states: state.map { [$0] }, reviewer: reviewer, applicant: applicant)
        if let reviewer, reviewer == principal.user.id {
            try access.requireAny(principal, .reviewRequests)
        } else {
            filter.tenant = try access.listedTenant(asked: filter.tenant, principal, .readRequests)
        }
        let now = clock()
        return try store.requests(filter, page: page).map { RequestView($0, at: now) }
    }

    // MARK: - Grants

    /// The grant an approval of `request` on `terms` becomes (pool, class, window, engine access). It
    /// reads the inventory, so call it before `RequestStore.updateRequest` and store the result there.
    public func draftGrant(for request: AllocationRequest, terms: AllocationTerms, approvedBy: String, at time: Double) throws -> Grant {
        try GrantDraft.make(for: request, terms: terms, approvedBy: approvedBy, at: time, inventory: try store.inventory(), preferred: request.feasibility?.pool)
    }

    // MARK: - Helpers

    var approvalRules: ApprovalRouting.Rules {
        let rules = configuration.requests.approval
        return ApprovalRouting.Rules(
            autoApproveBelowGPUs: rules.autoApproveBelowGPUs, autoApproveBelowDays: rules.autoApproveBelowDays, hqAtGPUs: rules.hqAtGPUs,
            reviewDeadlineWorkingDays: rules.reviewDeadlineWorkingDays, committee: rules.committee.map { UserID($0) }, committeeApprovals: rules.committeeApprovals)
    }

    /// The terms a form asks for: its pool, canonical GPU model, GPUs (for inference without `gpus`, the
    /// estimate's) and window (an emergency without one: the configured emergency length; an L2 lease
    /// without one: its full term).
    private func asked(_ form: RequestForm, estimate: RequestEstimate?, catalog: GPUCatalog) throws -> AllocationTerms {
        let model = (form.training?.gpuModel ?? form.inference?.gpuModel).flatMap(catalog.canonicalName)
        guard let gpus = form.training?.gpus ?? form.inference?.gpus ?? estimate?.gpus else {
            throw ReservoirError.invalid("inference.gpus", "is required when the load test gives no estimate")
        }
        let hours = form.training?.durationHours ?? form.inference?.durationHours 
            ?? (form.emergency != nil ? configuration.requests.emergency.defaultHours : configuration.leases.defaultHours(for: form.category))
        return AllocationTerms(pool: form.pool, model: model, gpus: gpus, durationHours: hours)
    }

    /// The estimator's answer for the form (SPEC §5.2), or nil when the form gives too little: a
    /// training run without a token count, a model without published FLOPS, a service without a load test.
    static func estimate(_ form: RequestForm, catalog: GPUCatalog, runs: [ReferenceRun] = ReferenceRun.published) throws -> RequestEstimate? {
        if let t = form.training {
            guard let parameters = t.parameters, let tokens = t.tokens, let name = t.gpuModel, let model = catalog.model(named: name), model.peakTrainingTFLOPS > 0
            else { return nil }
            let e = try TrainingEstimator(catalog: catalog, runs: runs).estimate(TrainingWorkload(
                parameters: parameters, tokens: tokens, model: model.name, gpus: t.gpus, parallelism: Parallelism(zeroStage: 3)))
            let minimum = e.minimumGPUs.first { $0.model == model.name }?.minimumGPUs
            let fit = e.fits ? "fits in memory" : "does NOT fit in memory (at least \(minimum.map(String.init) ?? "more") GPUs of \(model.name))"
            return RequestEstimate(
                gpus: e.gpus, gpuHours: e.gpuHours, wallClockHours: e.wallClockHours,
                calibrationError: e.calibration.meanAbsolutePercentError.map { $0 / 100 },
                summary: "\(Int(e.gpuHours.rounded())) GPU-hours, \(Self.hours(e.wallClockHours)) on \(e.gpus) × \(model.name); \(fit); 6·P·D at efficiency \((e.calibration.efficiency * 1_000).rounded() / 1_000)")
        }
        if let i = form.inference {
            guard let rows = i.loadTest, let p99 = i.sla?.p99LatencyMs, let peak = i.sla?.peakQPS else { return nil }
            do {
                let e = try InferenceEstimate.estimate(loadTest: rows, p99TargetMs: p99, peakQPS: peak, haReplicas: i.haReplicas ?? 0)
                return RequestEstimate(
                    gpus: e.gpus,
                    summary: "\(e.gpus) GPUs: ceil(\(peak) QPS ÷ \(e.perGPUQPS) per GPU within p99 \(p99) ms) = \(e.servingGPUs), + \(e.haReplicas) for HA")
            } catch {
                throw ReservoirError.invalid("inference.loadTest", error.message)
            }
        }
        return nil
    }

    /// What happens next, in one sentence.
    static func outcome(_ request: AllocationRequest, grant: Grant?) -> String {
        let reason = request.history.last?.reason ?? ""
        switch request.state {
        case .granted:
            guard let grant else { return "approved: \(reason)" }
            let window = grant.endsAt.map { "until \(InstantText.iso($0))" } ?? "with no fixed term"
            return "approved (\(request.history.first?.reason ?? reason)): grant \(grant.id) gives \(grant.gpuMilli / 1_000) × \(grant.model ?? "GPU") on pool \(grant.pool) in class \(grant.priority.rawValue) \(window)"
        case .underReview:
            guard let routing = request.routing else { return "under review" }
            let who = routing.reviewers.isEmpty ? "nobody (no \(routing.tier.rawValue) reviewer exists)" : routing.reviewers.map(\.rawValue).joined(separator: ", ")
            return "routed to \(who) (\(routing.tier.rawValue)), expected review by \(InstantText.iso(routing.dueAt)): \(routing.reason)"
        default:
            return "\(request.state.rawValue): \(reason)"
        }
    }

    /// Pools and the catalog models of their devices.
    static func models(of inventory: Inventory) -> [PoolID: Set<String>] {
        var models = Dictionary(uniqueKeysWithValues: inventory.pools.map { ($0.id, Set<String>()) })
        for node in inventory.nodes { models[node.pool, default: []].formUnion(node.devices.filter { $0.kind != .cpu }.map(\.model)) }
        return models
    }

    private static func hours(_ h: Double) -> String { h >= 48 ? "\((h / 24 * 10).rounded() / 10) days" : "\((h * 10).rounded() / 10) hours" }
}
