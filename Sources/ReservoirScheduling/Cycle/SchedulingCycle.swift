import ReservoirCore
import ReservoirPlacement

/// How the cycle behaves; configuration is a value handed to the cycle, never a global.
public struct SchedulerConfiguration: Sendable, Hashable {
    /// Placement policy name (see `ReservoirPlacement`).
    public var placementPolicy: String
    /// Upper bound on jobs examined per cycle, so one cycle stays short with a deep queue.
    public var maxJobsPerCycle: Int

    public init(placementPolicy: String = PlacementPolicy.defaultName, maxJobsPerCycle: Int = 5_000) {
        self.placementPolicy = placementPolicy
        self.maxJobsPerCycle = maxJobsPerCycle
    }
}

/// One scheduling cycle: a pure function from a snapshot to decisions.
///
/// The recipe:
/// 1. Build each pool's free capacity from its nodes minus what active jobs hold; charge quotas.
/// 2. Order pending jobs: priority class, then arrival, then id.
/// 3. For each job: find the models its quota admits (limit, and borrowing only from capacity not
///    owed to others' guarantees), and non-P0 jobs keep out of the pool's dynamic reserve.
/// 4. Place every replica with the placement policy (filters, then scores); a gang that cannot
///    place all its replicas releases what it took and waits.
/// 5. Record a decision for each placed job and a reason for each waiting one.
public struct SchedulingCycle: Sendable {
    public var configuration: SchedulerConfiguration

    public init(configuration: SchedulerConfiguration = SchedulerConfiguration()) {
        self.configuration = configuration
    }

    public func run(_ snapshot: SchedulingSnapshot) -> CycleResult {
        // 1. Capacity and quota usage.
        var pools: [PoolID: PoolCapacity] = [:]
        let nodesByPool = Dictionary(grouping: snapshot.nodes, by: \.pool)
        for pool in snapshot.pools {
            pools[pool.id] = PoolCapacity(pool: pool, nodes: nodesByPool[pool.id] ?? [], catalog: snapshot.catalog)
        }
        var ledger = QuotaLedger(quotas: snapshot.quotas)
        for job in snapshot.active {
            guard let poolID = job.pool, var pool = pools[poolID] else { continue }
            pool.hold(job)
            pools[poolID] = pool
            for (model, milli) in heldMilliByModel(job, pool: pool) {
                ledger.charge(tenant: job.tenant, pool: poolID, model: model, milli: milli)
            }
        }
        let tenantIDs = Array(Set(snapshot.tenants.map(\.id)).union(snapshot.quotas.map(\.tenant))).sorted()

        // 2. Order.
        let ordered = snapshot.pending.sorted(by: QueueOrder.priorityThenArrival).prefix(configuration.maxJobsPerCycle)

        // 3–5. Admit and place.
        var result = CycleResult()
        var placer = Placer(policy: configuration.placementPolicy) ?? Placer()
        for job in ordered {
            guard let poolID = job.pool, var pool = pools[poolID] else {
                result.waiting[job.id] = PendingReason(kind: PendingKind.pool, message: "pool \(job.pool?.rawValue ?? "(none)") does not exist")
                continue
            }
            let attempt = admitAndPlace(job, pool: &pool, ledger: &ledger, tenants: tenantIDs, placer: &placer, catalog: snapshot.catalog)
            pools[poolID] = pool
            switch attempt {
            case .placed(let decision): result.decisions.append(decision)
            case .waiting(let reason): result.waiting[job.id] = reason
            }
        }
        return result
    }

    private enum Attempt {
        case placed(Decision)
        case waiting(PendingReason)
    }

    private func admitAndPlace(
        _ job: Job, pool: inout PoolCapacity, ledger: inout QuotaLedger, tenants: [TenantID], placer: inout Placer,
        catalog: GPUCatalog
    ) -> Attempt {
        let poolID = pool.pool.id
        // 3. Quota: which models may this job use?
        var models: Set<String>? = nil
        var quotaRefusals: [String] = []
        var reserveRefusals: [String] = []
        if job.request.gpus > 0 {
            let requested = job.request.models.isEmpty ? nil : Set(job.request.models.map { catalog.canonicalName($0) ?? $0 })
            let totals = pool.totalMilliByModel()
            let free = pool.freeMilliByModel()
            var admitted = Set<String>()
            for model in totals.keys.sorted() where requested?.contains(model) ?? true {
                let owed = ledger.owedToOthers(than: job.tenant, pool: poolID, model: model, tenants: tenants)
                let reserve = job.priority == .p0 ? 0 : Int(Double(totals[model, default: 0]) * pool.pool.reservedFraction)
                if reserve > 0, free[model, default: 0] - job.totalGPUMilli < reserve {
                    reserveRefusals.append("\(model) capacity left would fall into pool \(poolID)'s dynamic reserve (\(reserve / 1000) GPUs, kept for P0 emergencies)")
                } else if let refusal = ledger.refusal(
                    tenant: job.tenant, pool: poolID, model: model, milli: job.totalGPUMilli,
                    free: free[model, default: 0] - reserve, owedToOthers: owed
                ) {
                    quotaRefusals.append(refusal)
                } else {
                    admitted.insert(model)
                }
            }
            if admitted.isEmpty {
                if quotaRefusals.isEmpty, !reserveRefusals.isEmpty {
                    return .waiting(PendingReason(kind: PendingKind.capacity, message: reserveRefusals.joined(separator: "; ")))
                }
                if quotaRefusals.isEmpty {
                    return .waiting(PendingReason(kind: PendingKind.constraint, message: "no \(requested.map { $0.sorted().joined(separator: "|") } ?? "GPU") devices in pool \(poolID)"))
                }
                return .waiting(PendingReason(kind: PendingKind.quota, message: quotaRefusals.joined(separator: "; ")))
            }
            models = admitted
        }

        // 4. Placement, all replicas or none.
        let pod = job.podRequest(models: models)
        var taken: [Placement] = []
        var outcomeReasons: [String: Int] = [:]
        for _ in 0..<job.replicas {
            let outcome = placer.place(pod, in: pool.state)
            guard case .placed(let placement) = outcome else {
                if case .unschedulable(let reasons) = outcome { outcomeReasons = reasons }
                break
            }
            pool.state.apply(placement, for: pod)
            taken.append(placement)
        }
        if taken.count < job.replicas {
            for p in taken.reversed() { pool.state.release(p, for: pod) }
            return .waiting(Self.explain(outcomeReasons, nodes: pool.state.nodes.count, placedReplicas: taken.count, job: job))
        }

        // 5. Decision.
        var placements: [ReplicaPlacement] = []
        for (replica, p) in taken.enumerated() {
            let node = pool.state.nodes[p.node]
            placements.append(ReplicaPlacement(
                replica: replica, node: node.id, deviceIndices: p.gpuIndices, gpuMilli: p.gpuMilli,
                migStartSlice: p.migStartSlice, cpuMilli: job.request.cpuMilli, memoryMiB: job.request.memoryMiB
            ))
            if job.request.gpus > 0 {
                ledger.charge(tenant: job.tenant, pool: poolID, model: node.model, milli: job.request.totalGPUMilli)
            }
        }
        let nodes = Set(placements.map(\.node.rawValue)).sorted().joined(separator: ", ")
        return .placed(Decision(
            job: job.id, placements: placements,
            rationale: "placed by policy \(configuration.placementPolicy) on \(nodes); admitted within tenant \(job.tenant)'s quota in pool \(poolID)"
        ))
    }

    /// Turns per-node filter counts into a reason: constraint when no node could ever fit, capacity otherwise.
    static func explain(_ reasons: [String: Int], nodes: Int, placedReplicas: Int, job: Job) -> PendingReason {
        let capacityReasons: Set<String> = [ResourceFitFilter.cpu, ResourceFitFilter.memory, ResourceFitFilter.gpu]
        let summary = reasons.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }
            .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let onlyConstraints = !reasons.isEmpty && reasons.keys.allSatisfy { !capacityReasons.contains($0) }
        let gangNote = job.replicas > 1 ? " (gang: \(placedReplicas) of \(job.replicas) replicas fit; all must start together)" : ""
        if nodes == 0 {
            return PendingReason(kind: PendingKind.capacity, message: "pool has no nodes")
        }
        return PendingReason(
            kind: onlyConstraints ? PendingKind.constraint : (placedReplicas > 0 ? PendingKind.gang : PendingKind.capacity),
            message: "0/\(nodes) nodes available: \(summary)\(gangNote)",
            details: reasons
        )
    }

    private func heldMilliByModel(_ job: Job, pool: PoolCapacity) -> [String: Int] {
        var out: [String: Int] = [:]
        for p in job.placements where !p.deviceIndices.isEmpty {
            guard let i = pool.index[p.node] else { continue }
            out[pool.state.nodes[i].model, default: 0] += p.gpuMilli * p.deviceIndices.count
        }
        return out
    }
}
