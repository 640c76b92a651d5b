import Foundation
import ReservoirCore
import ReservoirStore

/// Taking capacity back (SPEC §5.7): one use case, `reclaimGrant`, for every way a grant ends early or at
/// its lease's end (expiry, idle, a voluntary return, a forced reclaim), so each is recorded, announced and
/// carried out the same way; the owner's return, the operators' forced reclaim and the listing of
/// records are thin checks of who may do it over it.
public struct ReclamationsContext: ApplicationContext {
    public typealias Store = ReclamationStore & JobStore
    let store: any Store
    public let runtime: Runtime

    public init(store: any Store, runtime: Runtime) {
        self.store = store
        self.runtime = runtime
    }

    // MARK: - Reclaim

    /// Takes grant `id` back for `reason`, by `actor` (`user:ID` or `system:<pass>`), approved by `approvedBy`
    /// (required for `forced`). Its unfinished jobs are stopped first: waiting ones cancelled, running ones
    /// marked to stop (`PendingEngineCall.stop`), which the scheduler carries out as an eviction with the
    /// checkpoint grace period. Then, in one transaction: the grant becomes `returned` (voluntary),
    /// `expired` (expiry; it may be already) or `reclaimed`; its request follows; the record, the notices
    /// and the audit entries. The quota it raised falls back at once (the grant is no longer active), so
    /// provisioning and the scheduler are woken. Returns nil when the record already exists (completed
    /// before, e.g. before a crash): nothing is done twice. 409 when the grant already ended otherwise.
    @discardableResult
    public func reclaimGrant(_ id: GrantID, reason: ReclamationReason, actor: String, approvedBy: String?, note: String) throws -> ReclamationRecord? {
        guard let grant = try store.grant(id) else { throw ReservoirError.notFound("id", "no grant \(id)") }
        let recordID = Self.recordID(grant)
        guard try store.reclamation(recordID) == nil else { return nil }
        if reason == .forced, (approvedBy ?? "").allSatisfy(\.isWhitespace) {
            throw ReservoirError.invalid("approval", "a forced reclaim needs an approval record (e.g. a ticket); none was given")
        }
        try Self.requireReclaimable(grant, for: reason)
        let who = Attribution(actor: actor, at: clock())
        var stopped: [JobID] = []
        for job in try store.jobs(JobListFilter(tenant: grant.tenant, states: GrantsContext.unfinished, grant: id), page: PageRequest(limit: GrantView.jobLimit)).items {
            if try stop(job, of: grant, reason: reason, by: who) { stopped.append(job.id) }
        }
        let record = ReclamationRecord(
            id: recordID, kind: .grant, object: id.rawValue, reason: reason, tenant: grant.tenant, pool: grant.pool, model: grant.model,
            gpuMilli: grant.gpuMilli, at: who.at, actor: actor, approvedBy: approvedBy,
            freedGPUHours: ReclamationRecord.freedGPUHours(gpuMilli: grant.gpuMilli, endsAt: grant.endsAt, at: who.at), jobs: stopped.sorted(), note: note)
        let stored = try store.reclaimGrant(id, record: record, by: who) { grant, request in
            try Self.requireReclaimable(grant, for: reason)
            grant.state = Self.grantState(after: reason)
            let next = Self.requestState(after: reason)
            guard request.state.canTransition(to: next) else { return [Self.notice(record, to: request.applicant)] }
            try request.transition(to: next, at: who.at, actor: actor, reason: note)
            return RequestNotices.announce(request, grant: grant)
        }
        wakeups.poke()
        provisioningWakeups.poke()
        return stored
    }

    /// Stops one of the grant's jobs; false when it ended meanwhile. A waiting job is cancelled at once
    /// (as a user's cancel does); one holding devices is marked to stop and left to the scheduler.
    private func stop(_ job: Job, of grant: Grant, reason: ReclamationReason, by who: Attribution) throws -> Bool {
        let grace = HumanDuration.text(seconds: configuration.preemptionGraceSeconds)
        let message = "stopped: grant \(grant.id) was \(Self.grantState(after: reason).rawValue) (\(reason.rawValue)) by \(who.actor)"
        if job.state.isPending, try store.transitionJob(job.id, from: [.queued, .preempted], to: .cancelled, by: who, message: message, change: {
            $0.finishedAt = who.at
            $0.message = message
        }) != nil {
            return true
        }
        // On an engine (or admitted since it was read): marked, unless it ended or is already on its way out.
        let marked = try store.updateJob(job.id, action: "stop-requested", by: who) {
            guard $0.state.holdsDevices, $0.pendingEngineCall?.endsJob != true else { return }
            $0.pendingEngineCall = .stop
            $0.message = message + "; it may checkpoint for \(grace), then it ends"
        }
        // Requeued meanwhile (the reconciler found its engine copy lost): cancelled as a waiting job.
        if marked.state.isPending {
            return try store.transitionJob(job.id, from: [.queued, .preempted], to: .cancelled, by: who, message: message) {
                $0.finishedAt = who.at
                $0.message = message
            } != nil
        }
        return marked.pendingEngineCall?.endsJob == true
    }

    // MARK: - Rules

    /// `recl-grant-<id>-1`: a grant is reclaimed once, so its record id is known before it is written.
    static func recordID(_ grant: Grant) -> String { "recl-grant-\(grant.id)-1" }

    /// Only a live grant can be taken back; a lease's expiry also completes the reclamation of a grant
    /// the expiry pass already marked `expired`.
    static func requireReclaimable(_ grant: Grant, for reason: ReclamationReason) throws {
        guard grant.state == .active || (reason == .expiry && grant.state == .expired) else {
            throw ReservoirError(.conflict, field: "state", "grant \(grant.id) is already \(grant.state.rawValue)")
        }
    }

    static func grantState(after reason: ReclamationReason) -> GrantState {
        switch reason {
        case .voluntary: .returned
        case .expiry: .expired
        case .idle, .forced: .reclaimed
        }
    }

    static func requestState(after reason: ReclamationReason) -> RequestState {
        switch reason {
        case .voluntary: .returned
        case .expiry: .expired
        case .idle, .forced: .reclaimed
        }
    }

    /// The owner's notice when the request's state does not change (it expired before the reclamation).
    static func notice(_ record: ReclamationRecord, to applicant: UserID) -> OutboxNotification {
        OutboxNotification(
            id: "\(record.id)-applicant", recipient: .user(applicant), topic: "grant.reclaimed",
            subject: "grant \(record.object) was taken back (\(record.reason.rawValue)): \(record.note)",
            body: OutboxNotification.body(record), createdAt: record.at)
    }
}
