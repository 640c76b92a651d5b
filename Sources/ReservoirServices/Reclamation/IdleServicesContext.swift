import ReservoirCore
import ReservoirStore

/// Idle inference services (SPEC §5.7): found from the daily utilization roll-ups (`IdleCheck`), confirmed
/// with their owner (a recorded notice and a response deadline), then shrunk or reclaimed by operators.
/// Every step is a service adjustment (one transaction with its audit entry and notice); taking replicas
/// back also leaves a `ReclamationRecord` (kind service, reason idle). Replicas follow through the
/// services context, which cancels the surplus like any scale-in.
public struct IdleServicesContext: ApplicationContext {
    public typealias Store = ServiceStore & ReclamationStore & TelemetryReader
    let store: any Store
    let services: ServicesContext
    public let runtime: Runtime

    /// The rule of `leases.idleServices`.
    var check: IdleCheck {
        let rule = configuration.leases.idleServices
        return IdleCheck(utilizationBelowPercent: rule.peakUtilizationBelowPercent, memoryBelowPercent: rule.peakMemoryBelowPercent, windowDays: rule.windowDays)
    }

    // MARK: - Find

    /// Services (of the caller's tenant, unless they read every tenant) idle over the last whole
    /// `windowDays`, and any service with an open confirmation, by id.
    public func candidates(tenant: TenantID?, page: PageRequest = PageRequest(), by principal: Principal) throws -> Page<IdleServiceCandidate> {
        let tenant = try access.listedTenant(asked: tenant, principal, .readReclamations)
        let now = clock()
        let all = try store.services(tenant: tenant).compactMap { service -> IdleServiceCandidate? in
            let verdict = try verdict(service, at: now)
            guard verdict.idle || service.idleConfirmation != nil else { return nil }
            return IdleServiceCandidate(service: service, verdict: verdict)
        }
        return Page(sorted: all.sorted { $0.service < $1.service }, by: { [$0.service.rawValue] }, for: page)
    }

    func verdict(_ service: InferenceService, at now: Double) throws -> IdleVerdict {
        let check = self.check
        let window = check.window(endingBefore: now)
        let daily = try store.utilization(UtilizationQuery(scope: .service(service.id), since: window.since, until: window.until, resolution: .day))
        return check.judge(daily: daily, since: window.since, until: window.until)
    }

    // MARK: - Confirm with the owner

    /// Asks the owner to confirm an idle service: refused unless the rule finds it idle now, or while a
    /// confirmation is already open.
    public func confirm(_ id: ServiceID, by principal: Principal) throws -> IdleServiceCandidate {
        let current = try service(id, principal, .reclaim)
        if let open = current.idleConfirmation {
            throw ReservoirError(.conflict, field: "idleConfirmation", "the owner was asked at \(InstantText.iso(open.askedAt)); the answer is due by \(InstantText.iso(open.deadline))")
        }
        let who = attribution(principal)
        let verdict = try verdict(current, at: who.at)
        guard verdict.idle else {
            throw ReservoirError(.conflict, field: "service", "service \(id) is not idle: \(IdleServiceCandidate.describe(verdict))")
        }
        let confirmation = IdleConfirmation(
            askedAt: who.at, askedBy: who.actor, deadline: who.at + configuration.leases.idleServices.confirmationDays * 86_400, verdict: verdict)
        let reason = "idle: \(IdleServiceCandidate.describe(verdict)); the owner may answer keep or release until \(InstantText.iso(confirmation.deadline))"
        let (service, _) = try store.adjustService(id, adjustment: marker(current, .idleConfirmationAsked, who, reason), by: who) {
            guard $0.idleConfirmation == nil else { throw ReservoirError(.conflict, field: "idleConfirmation", "a confirmation is already open") }
            $0.idleConfirmation = confirmation
        }
        notificationWakeups.poke()
        return IdleServiceCandidate(service: service, verdict: verdict)
    }

    /// The owner's answer: keep (with why) or release; once, before the deadline.
    public func answer(_ id: ServiceID, _ answer: IdleConfirmation.Answer, reason: String, by principal: Principal) throws -> IdleServiceCandidate {
        let current = try service(id, principal, .holdGrants)
        try InputLimits.name(reason, field: "reason")
        let who = attribution(principal)
        let (service, _) = try store.adjustService(id, adjustment: marker(current, .idleConfirmationAnswered, who, "\(answer.rawValue): \(reason)"), by: who) {
            guard var confirmation = $0.idleConfirmation else {
                throw ReservoirError(.conflict, field: "idleConfirmation", "no idle confirmation is open for service \(id)")
            }
            if let given = confirmation.answer {
                throw ReservoirError(.conflict, field: "idleConfirmation", "already answered \(given.rawValue) by \(confirmation.answeredBy ?? "?")")
            }
            guard who.at < confirmation.deadline else {
                throw ReservoirError(.conflict, field: "idleConfirmation", "the deadline passed at \(InstantText.iso(confirmation.deadline))")
            }
            confirmation.answer = answer
            confirmation.answeredBy = who.actor
            confirmation.answeredAt = who.at
            confirmation.answerReason = reason
            $0.idleConfirmation = confirmation
        }
        notificationWakeups.poke()
        return IdleServiceCandidate(service: service, verdict: try service.idleConfirmation?.verdict ?? verdict(service, at: who.at))
    }

    // MARK: - Take back

    /// Shrinks an idle service to `replicas` (its maximum lowered with it, so the autoscaler does not grow
    /// it back) or reclaims every replica; only after a confirmation the owner released or whose deadline
    /// passed. Returns the reclamation record.
    public func reclaim(_ id: ServiceID, replicas target: Int, reason: String, by principal: Principal) async throws -> ReclamationRecord {
        let current = try service(id, principal, .reclaim)
        try InputLimits.name(reason, field: "reason")
        guard (0..<current.desiredReplicas).contains(target) else {
            throw ReservoirError.invalid("replicas", "must be from 0 to \(current.desiredReplicas - 1): fewer than the \(current.desiredReplicas) it has")
        }
        let who = attribution(principal)
        guard let confirmation = current.idleConfirmation else {
            throw ReservoirError(.conflict, field: "idleConfirmation", "confirm with the owner first (POST /v1/services/\(id)/idle-confirmation)")
        }
        guard confirmation.allowsReclamation(at: who.at) else {
            throw ReservoirError(.conflict, field: "idleConfirmation", "the owner has until \(InstantText.iso(confirmation.deadline)) to answer")
        }
        // The record first, under an id the confirmation fixes: a reclamation interrupted before its
        // adjustment is completed by the operator's retry (the record is then found, not written twice).
        let gpuMilli = (current.desiredReplicas - target) * current.request.totalGPUMilli
        let record = ReclamationRecord(
            id: "recl-service-\(id)-\(Int(confirmation.askedAt))", kind: .service, object: id.rawValue, reason: .idle, tenant: current.tenant,
            pool: current.pool, model: current.model, gpuMilli: gpuMilli, at: who.at, actor: who.actor, approvedBy: Self.approval(confirmation),
            freedGPUHours: ReclamationRecord.freedGPUHours(gpuMilli: gpuMilli, endsAt: nil, at: who.at),
            note: "\(current.desiredReplicas) → \(target) replicas of idle service \(id): \(reason)")
        let recorded = try store.recordReclamation(record, notices: [], by: who) ?? store.reclamation(record.id) ?? record
        let adjustment = ServiceAdjustment(
            service: id, tenant: current.tenant, at: who.at, before: current.desiredReplicas, after: target, actor: who.actor, tier: .replicas,
            kind: .reclaimed, reason: reason)
        let (service, stored) = try store.adjustService(id, adjustment: adjustment, by: who) {
            guard $0.idleConfirmation == confirmation, $0.desiredReplicas == current.desiredReplicas else {
                throw ReservoirError(.conflict, field: "service", "service \(id) changed meanwhile; try again")
            }
            $0.desiredReplicas = target
            $0.minReplicas = min($0.minReplicas, target)
            $0.maxReplicas = target
            $0.idleConfirmation = nil
        }
        ServiceGauges.adjusted(stored)
        notificationWakeups.poke()
        try await services.reconcileReplicas(service, by: who)
        return recorded
    }

    /// What allowed the reclamation, for its record.
    static func approval(_ confirmation: IdleConfirmation) -> String {
        if confirmation.answer == .release { return "released by \(confirmation.answeredBy ?? "the owner")" }
        let answered = confirmation.answer.map { " (the owner answered \($0.rawValue): \(confirmation.answerReason ?? ""))" } ?? " without an answer"
        return "confirmation by \(confirmation.askedBy); deadline \(InstantText.iso(confirmation.deadline)) passed\(answered)"
    }

    // MARK: - Helpers

    /// The service, when the caller may do `action` on its tenant; otherwise "not found".
    func service(_ id: ServiceID, _ principal: Principal, _ action: Action) throws -> InferenceService {
        guard let service = try store.service(id), access.allows(principal, .readServices, tenant: service.tenant) else {
            throw ReservoirError.notFound("id", "no service \(id)")
        }
        try access.require(principal, action, tenant: service.tenant)
        return service
    }

    /// An adjustment that changes no replicas: a step of the confirmation, kept in the service's history.
    func marker(_ service: InferenceService, _ kind: AdjustmentKind, _ who: Attribution, _ reason: String) -> ServiceAdjustment {
        ServiceAdjustment(
            service: service.id, tenant: service.tenant, at: who.at, before: service.desiredReplicas, after: service.desiredReplicas, actor: who.actor,
            tier: .replicas, kind: kind, reason: reason)
    }
}
