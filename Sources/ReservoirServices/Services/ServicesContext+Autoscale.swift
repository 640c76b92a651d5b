import ReservoirCore
import ReservoirEngine
import ReservoirStore

extension ServicesContext {
    /// One autoscaler pass over every service: decide (the pure `Autoscaler` on the replicas'
    /// minute utilization), record the adjustment, bring the replicas to the count, and when
    /// replicas wait for capacity ask the region's reserve (tier 2) or other regions (tier 3).
    /// A pass that finds another one running waits for it first.
    @discardableResult
    public func autoscale() async -> [AutoscaleOutcome] {
        await gate.enter()
        let outcomes = await autoscaleEach()
        await gate.leave()
        return outcomes
    }

    private func autoscaleEach() async -> [AutoscaleOutcome] {
        var outcomes: [AutoscaleOutcome] = []
        do {
            for service in try store.services(tenant: nil) {
                do {
                    outcomes.append(try await autoscale(service))
                } catch {
                    logger.error("autoscaling a service failed", metadata: ["service": "\(service.id)", "error": "\(error)"])
                }
            }
            // A delete commits first and cancels after: finish what one cut short left running.
            for orphan in try store.orphanedReplicas() where orphan.pendingEngineCall != .cancel {
                try await cancelReplica(orphan.id, by: system("autoscaler"))
            }
        } catch {
            logger.error("autoscaler could not read the services", metadata: ["error": "\(error)"])
        }
        return outcomes
    }

    private func autoscale(_ service: InferenceService) async throws -> AutoscaleOutcome {
        let who = system("autoscaler")
        let now = who.at
        let last = try store.lastReplicaChange(service: service.id)
        let points = try telemetry.utilization(
            UtilizationQuery(scope: .service(service.id), since: now - service.autoscaling.windowSeconds, until: now, resolution: .minute))
        let waiting = try store.replicas(of: service.id, states: [.queued, .preempted]).filter { $0.reason?.kind == "capacity" }.count
        let decision = Autoscaler().decide(service, points: points, lastAdjustmentAt: last?.at, now: now, waitingReplicas: waiting)
        var current = service
        var adjustments: [ServiceAdjustment] = []
        if case let .scale(to, reason) = decision {
            let adjustment = ServiceAdjustment(
                service: service.id, tenant: service.tenant, at: now, before: service.desiredReplicas, after: to, actor: who.actor, tier: .replicas,
                kind: to > service.desiredReplicas ? .scaledOut : .scaledIn, reason: reason.sentence(service.autoscaling))
            let stored = try store.adjustService(service.id, adjustment: adjustment, by: who) {
                try Self.unchanged($0, since: service)
                $0.desiredReplicas = to
            }
            current = stored.service
            adjustments.append(stored.adjustment)
            ServiceGauges.adjusted(stored.adjustment)
            notificationWakeups.poke()  // a scaling commits its notice with it
            logger.info("service scaled", metadata: ["service": "\(service.id)", "from": "\(adjustment.before)", "to": "\(to)", "reason": "\(adjustment.reason)"])
        }
        try await reconcileReplicas(current, by: who)
        if let asked = try askForCapacity(current, by: who) { adjustments.append(asked) }
        return AutoscaleOutcome(service: service.id, decision: decision, adjustments: adjustments)
    }

    /// Refuses an adjustment decided on a replica count another adjustment changed meanwhile (a
    /// person scaling while the autoscaler decides): its `before` would be wrong, its `after` a guess.
    static func unchanged(_ stored: InferenceService, since read: InferenceService) throws {
        guard stored.desiredReplicas == read.desiredReplicas else {
            throw ReservoirError(.conflict, field: "replicas", "service \(read.id) was scaled meanwhile (\(read.desiredReplicas) → \(stored.desiredReplicas)); try again")
        }
    }
}
