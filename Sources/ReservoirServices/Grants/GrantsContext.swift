import ReservoirCore
import ReservoirStore

/// Grants in effect (SPEC §5.5, §5.6): what an approved request became, and what it does after.
/// A grant is a time-boxed raise of its tenant's quota (`Grant.effectiveQuotas`, read by the scheduler,
/// provisioning and quota views through `quotasInEffect`); jobs that name it are checked against its
/// window, pool, model, class and size (`admit`); its request becomes `active` when its first job
/// starts and `expired` with it when the expiry pass finds its window over (`GrantExpiryService`).
public struct GrantsContext: ApplicationContext {
    public typealias Store = RequestStore & JobReader
    let store: any Store
    public let runtime: Runtime
    /// Wakes the expiry pass early (a test, a grant whose window was shortened).
    public let expiryWakeups = Wakeups()

    /// States of a grant's jobs that still hold or wait for its GPUs.
    static let unfinished: Set<JobState> = [.queued, .admitted, .running, .preempted]

    // MARK: - In effect

    /// `base` raised by every grant that admits work now.
    public func quotasInEffect(_ base: [Quota]) throws -> [Quota] {
        Grant.effectiveQuotas(base: base, grants: try store.activeGrants(), at: clock())
    }

    /// The grant a submission names, when the caller may read it; otherwise "not found", so ids of other
    /// tenants' grants do not leak.
    func grantToRunUnder(_ id: GrantID, by principal: Principal) throws -> Grant {
        guard let grant = try store.grant(id), access.allows(principal, .readRequests, tenant: grant.tenant) else {
            throw ReservoirError.notFound("grant", "no grant \(id)")
        }
        return grant
    }

    /// Checks a job submitted under `grant` against it and its unfinished jobs now (see `Grant.admit`).
    func admit(_ job: inout Job, under grant: Grant) throws {
        try grant.admit(&job, unfinished: try jobs(of: grant, states: Self.unfinished), at: clock())
    }

    // MARK: - Life cycle

    /// The grant's first job started: its request goes `granted → active` (once; a later start changes nothing).
    public func workStarted(_ job: Job) throws {
        guard let id = job.grant, let grant = try store.grant(id), try store.request(grant.request)?.state == .granted else { return }
        try store.updateGrant(id, action: "activate", by: system("grants")) { grant, request in
            guard request.state == .granted else { return [] }
            try request.transition(to: .active, at: clock(), actor: "system:grants", reason: "its first job \(job.id) started")
            return RequestNotices.announce(request, grant: grant)
        }
    }

    /// The expiry pass: every active grant whose window has ended becomes `expired` (its request too)
    /// and admits no new work; running work stays (what happens to it is the lease rules'). The quota
    /// it raised falls back at once, so the scheduler and provisioning are woken. Returns the grants expired.
    @discardableResult
    public func expireEnded() throws -> [Grant] {
        let now = clock()
        var expired: [Grant] = []
        for grant in try store.activeGrants() where grant.endsAt.map({ now >= $0 }) ?? false {
            let stored = try store.updateGrant(grant.id, action: "expire", by: system("grants")) { grant, request in
                guard grant.state == .active else { return [] }
                grant.state = .expired
                // A request already past its grant (returned, reclaimed) keeps its state and hears nothing new.
                guard request.state.canTransition(to: .expired) else { return [] }
                let reason = "its window ended at \(InstantText.iso(grant.endsAt ?? now)); it admits no new work"
                try request.transition(to: .expired, at: now, actor: "system:grants", reason: reason)
                return RequestNotices.announce(request, grant: grant)
            }
            if stored.state == .expired { expired.append(stored) }
        }
        if !expired.isEmpty {
            wakeups.poke()
            provisioningWakeups.poke()
        }
        return expired
    }

    /// Seconds until the earliest active grant's window ends on Reservoir's clock, at most `limit`.
    func secondsUntilNextEnd(atMost limit: Double) -> Double {
        guard let ends = try? store.activeGrants().compactMap(\.endsAt).min() else { return limit }
        return min(limit, max(1, ends - clock()))
    }

    // MARK: - Read

    /// A page of the grants the caller may read (of one tenant or state when asked), newest first; with
    /// `emergency`, only green-channel grants (true) or only the others (false).
    public func grants(tenant: TenantID?, state: GrantState?, emergency: Bool?, page: PageRequest, by principal: Principal) throws -> Page<GrantView> {
        let tenant = try access.listedTenant(asked: tenant, principal, .readRequests)
        return try store.grants(tenant: tenant, state: state, emergency: emergency, page: page).map { try view($0, by: principal) }
    }

    /// One grant with its use: GPUs held now, its jobs, and what they preempted.
    public func grant(_ id: GrantID, by principal: Principal) throws -> GrantView {
        guard let grant = try store.grant(id), access.allows(principal, .readRequests, tenant: grant.tenant) else {
            throw ReservoirError.notFound("id", "no grant \(id)")
        }
        return try view(grant, by: principal)
    }

    private func view(_ grant: Grant, by principal: Principal) throws -> GrantView {
        let jobs = try self.jobs(of: grant, states: nil)
        var preempted: [GrantView.Preemption] = []
        let readsAll = access.readsAllTenants(principal)
        for victim in Set(jobs.flatMap { $0.preempted ?? [] }).sorted() {
            guard let job = try store.job(victim) else { continue }
            let shown = readsAll || job.tenant == principal.tenant
            preempted.append(GrantView.Preemption(
                job: shown ? job.id : nil, tenant: shown ? job.tenant : nil, priority: job.priority, state: job.state))
        }
        return GrantView(
            grant: grant, usedGPUMilli: jobs.filter { $0.state == .admitted || $0.state == .running }.reduce(0) { $0 + $1.totalGPUMilli },
            jobs: jobs.map { GrantView.JobUse(id: $0.id, state: $0.state, gpuMilli: $0.totalGPUMilli) }, preempted: preempted)
    }

    /// The grant's jobs (of its tenant), newest first; at most `GrantView.jobLimit`.
    private func jobs(of grant: Grant, states: Set<JobState>?) throws -> [Job] {
        try store.jobs(JobListFilter(tenant: grant.tenant, states: states, grant: grant.id), page: PageRequest(limit: GrantView.jobLimit)).items
    }
}
