import ReservoirCore
import ReservoirStore

/// Tiers 2 and 3 of SPEC §5.8. A pool labelled `reservoir.io/reserve: "true"` holds its region's
/// reserve: idle nodes no tenant has a quota on. When a service's replicas have waited
/// `services.reserveAfterSeconds` for capacity (the scheduler's reason `capacity`: the pool is out,
/// even after preempting lower classes), the autoscaler asks the reserve for nodes of a model the
/// replicas take: with `services.reserve: automatic` it moves them into the service's pool at once,
/// with `approval` it records a pending request an operator approves (which moves them then). When
/// the region's reserve has no such node, it records a cross-region transfer request for operators.
/// Each is an adjustment of the service (tier 2 or 3) and a `ServiceCapacityRequest`.
extension ServicesContext {
    /// Asks for capacity when replicas wait for it and nothing is asked yet; the adjustment recorded, or nil.
    func askForCapacity(_ service: InferenceService, by who: Attribution) throws -> ServiceAdjustment? {
        let waiting = try store.replicas(of: service.id, states: [.queued, .preempted]).filter {
            $0.pendingEngineCall != .cancel && $0.reason?.kind == "capacity" && who.at - $0.submittedAt >= settings.reserveAfterSeconds
        }
        guard !waiting.isEmpty else { return nil }
        let open = try store.capacityRequests(tenant: service.tenant, state: .pending, page: PageRequest(limit: PageRequest.maximumLimit))
        guard !open.items.contains(where: { $0.service == service.id }) else { return nil }
        // Nodes moved a moment ago need a scheduling cycle before the replicas show it.
        if let last = try store.lastAdjustment(service: service.id), last.kind == .reserveNodesAdded, who.at - last.at < settings.reserveAfterSeconds {
            return nil
        }
        let inventory = try store.inventory()
        guard let region = region(of: service.pool, in: inventory) else { return nil }
        let gpus = waiting.count * max(1, service.request.gpus)
        let count = "\(waiting.count) replica\(waiting.count == 1 ? "" : "s") waiting for capacity in pool \(service.pool) (\(gpus) GPU\(gpus == 1 ? "" : "s"))"
        let nodes = try reserveNodes(for: service, gpus: gpus, in: inventory)
        var request = ServiceCapacityRequest(
            service: service.id, tenant: service.tenant, pool: service.pool, region: region, tier: .regionalReserve, state: .pending, gpus: gpus,
            models: service.request.models, reason: count, createdAt: who.at)
        func adjustment(_ kind: AdjustmentKind, _ tier: ScalingTier, _ reason: String, nodes: [NodeID] = []) -> ServiceAdjustment {
            ServiceAdjustment(
                service: service.id, tenant: service.tenant, at: who.at, before: service.desiredReplicas, after: service.desiredReplicas, actor: who.actor,
                tier: tier, kind: kind, reason: reason, nodes: nodes)
        }
        let recorded: ServiceAdjustment
        if nodes.isEmpty {
            request.tier = .crossRegion
            recorded = adjustment(.crossRegionRequested, .crossRegion, "\(count); region \(region)'s reserve has no idle node that fits: a cross-region transfer is requested of operators")
        } else if settings.reserve == .automatic {
            request.state = .fulfilled
            request.nodes = nodes.map(\.id)
            recorded = adjustment(
                .reserveNodesAdded, .regionalReserve, "\(count); moved \(Self.names(nodes)) from region \(region)'s reserve", nodes: nodes.map(\.id))
        } else {
            recorded = adjustment(.reserveRequested, .regionalReserve, "\(count); asks an operator to approve \(Self.names(nodes)) from region \(region)'s reserve")
        }
        let stored = try store.recordCapacityRequest(request, adjustment: recorded, by: who)
        ServiceGauges.adjusted(recorded)
        if stored.state == .fulfilled { wakeups.poke() }
        logger.info("service asked for capacity", metadata: ["service": "\(service.id)", "request": "\(stored.id)", "tier": "\(stored.tier.rawValue)"])
        return try store.lastAdjustment(service: service.id)
    }

    /// Idle, ready nodes of the region's reserve pools that the service's replicas can use (a model
    /// they take; MIG nodes only for a MIG pool), by id, until they hold `gpus` GPUs.
    func reserveNodes(for service: InferenceService, gpus: Int, in inventory: Inventory) throws -> [Node] {
        guard let region = region(of: service.pool, in: inventory), let target = inventory.pools.first(where: { $0.id == service.pool }) else { return [] }
        let clusters = Set(inventory.clusters.filter { $0.region == region }.map(\.id))
        let reserves = Set(inventory.pools.filter { $0.isRegionalReserve && clusters.contains($0.cluster) && $0.id != service.pool }.map(\.id))
        let busy = Set(try store.jobs(tenant: nil, states: [.admitted, .running], limit: 1_000_000).flatMap { $0.placements.map(\.node) })
        let catalog = try store.catalog()
        let models = Set(service.request.models)
        var picked: [Node] = []
        var total = 0
        for node in inventory.nodes.sorted(by: { $0.id < $1.id }) where total < gpus {
            guard reserves.contains(node.pool), node.state == .ready, !busy.contains(node.id), node.gpuCount > 0 else { continue }
            let model = node.gpuModel.map { catalog.canonicalName($0) ?? $0 }
            guard models.isEmpty || model.map(models.contains) == true else { continue }
            guard node.devices.contains(where: \.inMIGMode) == (target.sharing == .mig) else { continue }
            picked.append(node)
            total += node.gpuCount
        }
        return picked
    }

    private func region(of pool: PoolID, in inventory: Inventory) -> RegionID? {
        guard let cluster = inventory.pools.first(where: { $0.id == pool })?.cluster else { return nil }
        return inventory.clusters.first { $0.id == cluster }?.region
    }

    private static func names(_ nodes: [Node]) -> String {
        "node\(nodes.count == 1 ? "" : "s") " + nodes.map(\.id.rawValue).joined(separator: ", ")
    }

    // MARK: - Operators

    /// A page of capacity requests, newest first: operators see all; a member those of its tenant's services.
    public func capacityRequests(state: CapacityRequestState?, page: PageRequest, by principal: Principal) throws -> Page<ServiceCapacityRequest> {
        try store.capacityRequests(tenant: try access.tenantFilter(principal, .readServices), state: state, page: page)
    }

    /// Approves a pending reserve request: moves idle reserve nodes that fit now into the service's
    /// pool (an adjustment of tier 2, by the approver). Moving nodes changes the inventory, so it
    /// takes the operator's right to.
    public func approve(_ id: String, by principal: Principal) throws -> ServiceCapacityRequest {
        try access.require(principal, .changeInventory, tenant: nil)
        guard let request = try store.capacityRequest(id) else { throw ReservoirError.notFound("id", "no capacity request \(id)") }
        guard request.state.isOpen else { throw ReservoirError(.conflict, field: "state", "capacity request \(id) is already \(request.state.rawValue)") }
        guard request.tier == .regionalReserve else {
            throw ReservoirError(.conflict, field: "id", "\(id) asks for a cross-region transfer, which is arranged outside Reservoir: close it when done")
        }
        guard let service = try store.service(request.service) else {
            throw ReservoirError(.conflict, field: "id", "service \(request.service) was deleted: close the request")
        }
        let nodes = try reserveNodes(for: service, gpus: request.gpus, in: try store.inventory())
        guard !nodes.isEmpty else {
            throw ReservoirError(.conflict, field: "id", "the region's reserve has no idle node that fits \(service.id) now: close the request, or approve it later")
        }
        let who = attribution(principal)
        let adjustment = ServiceAdjustment(
            service: service.id, tenant: service.tenant, at: who.at, before: service.desiredReplicas, after: service.desiredReplicas, actor: who.actor,
            tier: .regionalReserve, kind: .reserveNodesAdded, reason: "approved \(id): moved \(Self.names(nodes)) from the reserve", nodes: nodes.map(\.id))
        let fulfilled = try store.fulfilCapacityRequest(id, nodes: nodes.map(\.id), adjustment: adjustment, by: who)
        ServiceGauges.adjusted(adjustment)
        wakeups.poke()
        return fulfilled
    }

    /// Closes a pending request (a transfer arranged, or declined), with the operator's note.
    public func close(_ id: String, note: String, by principal: Principal) throws -> ServiceCapacityRequest {
        try access.require(principal, .changeInventory, tenant: nil)
        try InputLimits.name(note, field: "note")
        return try store.closeCapacityRequest(id, note: note, by: attribution(principal))
    }
}
