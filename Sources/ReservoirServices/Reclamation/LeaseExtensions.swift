import ReservoirCore
import ReservoirStore

/// What an owner sends to extend a lease (`POST /v1/grants/{id}/extensions`).
public struct ExtensionInput: Codable, Hashable, Sendable {
    public var days: Double
    public var reason: String

    public init(days: Double, reason: String) {
        self.days = days
        self.reason = reason
    }
}

public enum ExtensionVerdict: String, Codable, Hashable, Sendable, CaseIterable { case approve, refuse }

/// An operator's answer to an extension (`POST /v1/grants/{id}/extensions/{n}/decision`).
public struct ExtensionDecision: Codable, Hashable, Sendable {
    public var verdict: ExtensionVerdict
    public var reason: String

    public init(verdict: ExtensionVerdict, reason: String) {
        self.verdict = verdict
        self.reason = reason
    }
}

/// A grant's lease and its extensions, with what an operator judges them against (SPEC §5.7: "judged
/// against current scarcity"): the jobs queued for the same capacity (the grant's pool and model).
public struct LeaseExtensionsView: Codable, Sendable, Equatable {
    /// A job waiting for capacity like the grant's. Another tenant's job is named only to readers of every tenant.
    public struct Waiting: Codable, Sendable, Equatable {
        public var job: JobID?
        public var tenant: TenantID?
        public var priority: PriorityClass
        public var gpuMilli: Int
        public var waitingSeconds: Double
    }

    public var grant: GrantID
    public var tenant: TenantID
    public var state: GrantState
    public var endsAt: Double?
    public var extensions: [LeaseExtension]
    /// Extensions still allowed (`leases.extensionMaxCount` less those pending or approved).
    public var remaining: Int
    /// Queued jobs of other grants and tenants on the grant's pool (and model), longest waiting first.
    public var waiting: [Waiting]
    public var waitingGPUMilli: Int
}

extension LeasesContext {
    /// The most waiting jobs an extension view lists.
    static let waitingLimit = 20

    /// An owner asks to extend grant `id` by `input.days`, with a reason, before it ends. Refused: a grant
    /// the caller cannot read (404) or may not hold (403); a missing reason, days out of 0…extensionMaxDays
    /// (400); a grant with no fixed term, ended, with an extension pending or none left (409).
    /// Operators are told; nothing changes until one approves.
    public func requestExtension(_ id: GrantID, _ input: ExtensionInput, by principal: Principal) throws -> LeaseExtensionsView {
        let grant = try readable(id, by: principal)
        try access.require(principal, .holdGrants, tenant: grant.tenant, field: "id")
        let rules = configuration.leases
        try InputLimits.text(input.reason, field: "reason")
        guard !input.reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ReservoirError.invalid("reason", "is required: say why the lease needs more time") }
        guard input.days.isFinite, input.days > 0, input.days <= rules.extensionMaxDays else {
            throw ReservoirError.invalid("days", "must be more than 0 and at most \(rules.extensionMaxDays) (leases.extensionMaxDays), got \(input.days)")
        }
        let now = clock()
        let stored = try store.updateGrant(id, action: "extension-request", by: attribution(principal)) { grant, _ in
            try Self.requireOpen(grant, at: now)
            let extensions = grant.extensions ?? []
            if let pending = extensions.first(where: { $0.state == .pending }) {
                throw ReservoirError(.conflict, field: "id", "extension \(pending.number) of grant \(id) still awaits a decision")
            }
            guard Self.counted(extensions) < rules.extensionMaxCount else {
                throw ReservoirError(.conflict, field: "id", "grant \(id) had its \(rules.extensionMaxCount) extensions (leases.extensionMaxCount); ask for a new request instead")
            }
            let ext = LeaseExtension(number: extensions.count + 1, days: input.days, reason: input.reason, requestedBy: principal.user.id, requestedAt: now)
            grant.extensions = extensions + [ext]
            return [OutboxNotification(
                id: "lease-\(id)-extension-\(ext.number)-requested", recipient: .role(.operator_), topic: "lease.extension.requested",
                subject: "\(principal.user.id) asks to extend grant \(id) of \(grant.tenant) by \(input.days) days: \(input.reason); decide with `reservoir grant extension approve|refuse \(id) \(ext.number) --reason ...`",
                body: "{}", createdAt: now)]
        }
        notificationWakeups.poke()
        return try view(stored, by: principal)
    }

    /// Operators approve or refuse extension `number` of grant `id`, with a reason. Approval moves the
    /// end and re-arms the notices for it (those already past at the decision are skipped). Refused: not
    /// pending, or the grant already ended (409).
    public func decideExtension(_ id: GrantID, number: Int, _ input: ExtensionDecision, by principal: Principal) throws -> LeaseExtensionsView {
        let grant = try readable(id, by: principal)
        try access.require(principal, .reclaim, tenant: grant.tenant, field: "id")
        try InputLimits.text(input.reason, field: "reason")
        guard !input.reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ReservoirError.invalid("reason", "is required: the owner is told why") }
        let now = clock()
        let stored = try store.updateGrant(id, action: "extension-\(input.verdict.rawValue)", by: attribution(principal)) { grant, request in
            guard var extensions = grant.extensions, let i = extensions.firstIndex(where: { $0.number == number }) else {
                throw ReservoirError.notFound("n", "grant \(id) has no extension \(number)")
            }
            guard extensions[i].state == .pending else {
                throw ReservoirError(.conflict, field: "n", "extension \(number) of grant \(id) was already \(extensions[i].state.rawValue)")
            }
            try Self.requireOpen(grant, at: now)
            extensions[i].state = input.verdict == .approve ? .approved : .refused
            extensions[i].decidedBy = principal.user.id
            extensions[i].decidedAt = now
            extensions[i].decisionReason = input.reason
            grant.extensions = extensions
            var outcome = "refused"
            if input.verdict == .approve, let end = grant.endsAt {
                let newEnd = end + extensions[i].days * LeaseNoticeSchedule.day
                grant.endsAt = newEnd
                grant.noticesSent = schedule.skipped(endsAt: newEnd, armedAt: now)
                outcome = "approved: it now ends at \(InstantText.iso(newEnd))"
            }
            return [OutboxNotification(
                id: "lease-\(id)-extension-\(number)-\(input.verdict.rawValue)", recipient: .user(extensions[i].requestedBy),
                topic: "lease.extension.\(input.verdict == .approve ? "approved" : "refused")",
                subject: "extension \(number) of grant \(id) (\(extensions[i].days) days) \(outcome) by \(principal.user.id): \(input.reason)",
                body: "{}", createdAt: now)]
        }
        notificationWakeups.poke()
        return try view(stored, by: principal)
    }

    /// Grant `id`'s lease, its extensions and the queue waiting for the same capacity.
    public func extensions(_ id: GrantID, by principal: Principal) throws -> LeaseExtensionsView {
        try view(try readable(id, by: principal), by: principal)
    }

    private func readable(_ id: GrantID, by principal: Principal) throws -> Grant {
        guard let grant = try store.grant(id), access.allows(principal, .readRequests, tenant: grant.tenant) else {
            throw ReservoirError.notFound("id", "no grant \(id)")
        }
        return grant
    }

    /// A lease that can still change: live, with a fixed term that has not ended.
    private static func requireOpen(_ grant: Grant, at now: Double) throws {
        guard let end = grant.endsAt else { throw ReservoirError(.conflict, field: "id", "grant \(grant.id) has no fixed term: there is nothing to extend") }
        guard grant.state == .active, now < end else {
            throw ReservoirError(.conflict, field: "id", "grant \(grant.id) is \(grant.state == .active ? "past its end" : grant.state.rawValue) since \(InstantText.iso(end)): a lease is extended before it ends")
        }
    }

    /// Extensions that count against `leases.extensionMaxCount`: pending and approved ones.
    static func counted(_ extensions: [LeaseExtension]) -> Int { extensions.filter { $0.state != .refused }.count }

    private func view(_ grant: Grant, by principal: Principal) throws -> LeaseExtensionsView {
        let now = clock()
        let readsAll = access.readsAllTenants(principal)
        let queued = try store.jobs(JobListFilter(states: [.queued], pool: grant.pool), page: PageRequest(limit: PageRequest.maximumLimit)).items
            .filter { job in job.grant != grant.id && (grant.model.map { job.request.models.isEmpty || job.request.models.contains($0) } ?? true) }
            .sorted { $0.submittedAt < $1.submittedAt }
        let waiting = queued.prefix(Self.waitingLimit).map { job in
            let shown = readsAll || job.tenant == principal.tenant
            return LeaseExtensionsView.Waiting(
                job: shown ? job.id : nil, tenant: shown ? job.tenant : nil, priority: job.priority, gpuMilli: job.totalGPUMilli,
                waitingSeconds: max(0, now - job.submittedAt))
        }
        let extensions = grant.extensions ?? []
        return LeaseExtensionsView(
            grant: grant.id, tenant: grant.tenant, state: grant.state, endsAt: grant.endsAt, extensions: extensions,
            remaining: max(0, configuration.leases.extensionMaxCount - Self.counted(extensions)), waiting: Array(waiting),
            waitingGPUMilli: queued.reduce(0) { $0 + $1.totalGPUMilli })
    }
}
