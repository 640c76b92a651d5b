import ReservoirCore
import ReservoirPlacement

/// The mutable state of one cycle (Volcano's Session, Kueue's snapshot): free capacity per pool,
/// quota usage, each tenant's DRF usage, the active jobs, and the result being built. Actions read
/// and change it only through the methods here, so capacity, quota and fair share stay in step.
struct Session {
    let now: Double
    let configuration: SchedulerConfiguration
    let catalog: GPUCatalog
    var pools: [PoolID: PoolCapacity] = [:]
    var ledger: QuotaLedger
    let tenantIDs: [TenantID]
    let weights: [TenantID: Double]
    let history: [TenantID: Double]
    /// Per-job runtime predictions from history (see `SchedulingSnapshot.predictedRuntimes`).
    let predicted: [JobID: Double]
    /// Pools whose engine cannot resize running jobs (see `SchedulingSnapshot.fixedSizePools`).
    let fixedSizePools: Set<PoolID>
    var usage: [TenantID: ResourceVector] = [:]
    var totals = ResourceVector()
    var active: [JobID: ActiveJob] = [:]
    /// Replicas released by the open statement, per job.
    var released: [JobID: Set<Int>] = [:]
    var result = CycleResult()
    /// One placer per pool: each scores with the policy looking ahead to its own pool's recent work.
    var placers: [PoolID: GangPlacer] = [:]
    /// Why the last `placeGang` failed.
    var lastFailure = PendingReason(kind: PendingKind.capacity, message: "")
    /// Backfill candidates tried per pool this cycle.
    var backfillTested: [PoolID: Int] = [:]
    /// The reason given to the jobs behind a pool's reservation past `backfill.maxJobTest`.
    var notTried: [PoolID: PendingReason] = [:]
    /// Preemption attempts known to fail this cycle, by shape, class and reclaim right.
    var preemptionFailures: Set<PreemptionKey> = []
    /// Admission answers for the current pool and ledger versions (see `admit`).
    var admissions: [QuotaAdmission.Key: QuotaAdmission.Verdict] = [:]
    /// Jobs inside their eviction grace period, per pool.
    var leavingByPool: [PoolID: [JobID]] = [:]
    /// Quota slots per pool, resolved once (see `QuotaAdmission.SlotTable`).
    var slotTables: [PoolID: QuotaAdmission.SlotTable] = [:]
    /// Per pool and pod constraints, each node's first description-filter rejection (see `rejected`).
    var rejections: [RejectionKey: [String?]] = [:]

    /// What the description filters read of a pod (`FilterDependency.description`).
    struct RejectionKey: Hashable {
        var pool: PoolID
        var needsGPU: Bool
        var models: Set<String>?
        var selector: [String: String]
        var tolerations: [Toleration]
        var mig: Bool
    }

    /// - Parameter scorer: the policy's score plugin for a pool, given the pool's typical pod shapes.
    init(snapshot: SchedulingSnapshot, configuration: SchedulerConfiguration, scorer: (TypicalPods) -> any ScorePlugin) {
        now = snapshot.now
        self.configuration = configuration
        catalog = snapshot.catalog
        ledger = QuotaLedger(quotas: snapshot.quotas)
        tenantIDs = Array(Set(snapshot.tenants.map(\.id)).union(snapshot.quotas.map(\.tenant))).sorted()
        var w: [TenantID: Double] = [:]
        for t in snapshot.tenants { w[t.id] = max(t.weight, 0.001) }
        weights = w
        history = snapshot.runtimeHistory
        predicted = snapshot.predictedRuntimes
        fixedSizePools = snapshot.fixedSizePools
        // Fragmentation-aware scores compare every feasible node: stopping at the first
        // `nodesToScore` would change their answer (see `PlacementPolicy.comparesAllNodes`).
        let nodesToScore = PlacementPolicy.comparesAllNodes(configuration.placementPolicy) ? 0 : configuration.nodesToScore
        let recentByPool = TypicalPods.recentByPool(snapshot)
        let nodesByPool = Dictionary(grouping: snapshot.nodes, by: \.pool)
        for pool in snapshot.pools {
            placers[pool.id] = GangPlacer(
                filters: DefaultFilters.all, scorer: scorer(recentByPool[pool.id] ?? .generic),
                topologyAware: configuration.topologyAware, nodesToScore: nodesToScore
            )
            let capacity = PoolCapacity(
                pool: pool, nodes: nodesByPool[pool.id] ?? [], catalog: snapshot.catalog,
                classes: snapshot.deviceClasses, unreliable: snapshot.unreliableDevices)
            for n in capacity.state.nodes where n.schedulable {
                totals.gpuMilli += Double(n.totalGPUMilli)
                totals.cpuMilli += Double(n.totalCPU)
                totals.memoryMiB += Double(n.totalMemory)
            }
            slotTables[pool.id] = QuotaAdmission.SlotTable(pool: capacity, ledger: ledger, tenants: tenantIDs)
            pools[pool.id] = capacity
        }
        // Room for the running jobs only: the few jobs a cycle starts grow it, and reserving an entry
        // per pending job would touch megabytes of fresh memory in every deep-queue cycle.
        active.reserveCapacity(snapshot.active.count)
        result.waiting.reserveCapacity(snapshot.pending.count)
        for job in snapshot.active {
            // The pool is read in place, never bound to a local: a copy alive across `take` would
            // make every take copy all the pool's nodes.
            guard let poolID = job.pool, pools[poolID] != nil else { continue }
            let pod = job.podRequest(models: nil)
            var slots: [Placement] = []
            var models: [String] = []
            var replicas: [Int] = []
            for p in job.placements {
                guard let i = pools[poolID]!.index[p.node] else { continue }
                slots.append(Placement(node: i, gpuIndices: p.deviceIndices, gpuMilli: p.gpuMilli, migStartSlice: p.migStartSlice))
                models.append(pools[poolID]!.state.nodes[i].model)
                replicas.append(p.replica)
            }
            let a = ActiveJob(
                job: job, pool: poolID, pod: pod, slots: slots, models: models,
                estimatedEnd: estimatedEnd(of: job, startedAt: job.startedAt ?? now),
                terminating: snapshot.terminating.contains(job.id), replicaIndices: replicas
            )
            active[job.id] = a
            if a.terminating { leavingByPool[poolID, default: []].append(job.id) }
            for s in a.slots.indices { take(a, slot: s) }
        }
    }

    /// Each node's first description-filter rejection of `pod` in the pool (nil: passes), computed
    /// once per pool and constraint set: health, model, selector and taints never change in a cycle.
    /// Nil when `reuseWithinCycle` is off: the placer then runs the whole chain on every node.
    mutating func rejected(_ pod: PodRequest, pool: PoolID) -> [String?]? {
        guard configuration.reuseWithinCycle else { return nil }
        let key = RejectionKey(
            pool: pool, needsGPU: pod.gpus > 0, models: pod.models, selector: pod.nodeSelector,
            tolerations: pod.tolerations, mig: pod.migProfile != nil
        )
        if let known = rejections[key] { return known }
        let computed = placers[pool]!.rejections(pod, nodes: pools[pool]!.state.nodes)
        rejections[key] = computed
        return computed
    }

    // MARK: - Fair share and estimates

    /// The tenant's key under the configured queue policy: DRF dominant share ÷ weight, or use ÷ guarantee.
    func share(_ tenant: TenantID) -> Double {
        let use = usage[tenant] ?? ResourceVector()
        switch configuration.queuePolicy {
        case .capacity:
            return use.gpuMilli / Double(max(1, ledger.totalGuaranteed(tenant: tenant)))
        case .fairShare, .fifo, .priority:
            return use.dominantShare(of: totals) / (weights[tenant] ?? 1)
        }
    }

    /// Runtime estimate: the job's declared runtime, else its prediction from history (same name, then
    /// tenant, then pool), else its tenant's mean, else unknown.
    func estimatedRuntime(_ job: Job) -> Double? { job.runtimeSeconds ?? predicted[job.id] ?? history[job.tenant] }

    /// Where a runtime estimate came from, as a note for the decision ("" when the job declared it).
    func estimateSource(_ job: Job) -> String {
        if job.runtimeSeconds != nil { return "" }
        if let p = predicted[job.id] { return " (runtime \(Int(p))s predicted from its history)" }
        return history[job.tenant] != nil ? " (runtime: its tenant's mean)" : ""
    }

    /// When a job started at `startedAt` should end: estimate minus progress from earlier runs.
    func estimatedEnd(of job: Job, startedAt: Double) -> Double? {
        guard let runtime = estimatedRuntime(job) else { return nil }
        return max(now, startedAt + max(0, runtime - job.progressSeconds))
    }

    // MARK: - Holding and releasing replicas

    /// Applies replica `slot` of `a` to its pool and charges quota and fair share.
    private mutating func take(_ a: ActiveJob, slot s: Int) {
        pools[a.pool]!.take(a.slots[s], for: a.pod, pastPlan: false)
        charge(a, model: a.models[s], sign: 1)
    }

    private mutating func charge(_ a: ActiveJob, model: String, sign: Int) {
        if a.pod.gpus > 0 { ledger.charge(tenant: a.job.tenant, pool: a.pool, model: model, milli: sign * a.gpuMilliPerReplica) }
        var pod = a.pod
        pod.cpuMilli *= sign
        pod.memoryMiB *= sign
        pod.gpuMilli *= sign
        usage[a.job.tenant, default: ResourceVector()].add(pod, times: 1)
    }

    /// Releases replicas of an active job inside `statement` (victim or shrink).
    mutating func release(_ job: JobID, slots: [Int], in statement: inout Statement) {
        guard let a = active[job] else { return }
        for s in slots where !(released[job]?.contains(s) ?? false) {
            pools[a.pool]!.give(a.slots[s], for: a.pod, pastPlan: false)
            charge(a, model: a.models[s], sign: -1)
            released[job, default: []].insert(s)
        }
        statement.record(.release(job: job, slots: slots))
    }

    /// Places `pod` tentatively inside `statement`.
    mutating func place(_ placement: Placement, pod: PodRequest, pool: PoolID, pastPlan: Bool, in statement: inout Statement) {
        pools[pool]!.take(placement, for: pod, pastPlan: pastPlan)
        statement.record(.place(pool: pool, placement: placement, pod: pod, pastPlan: pastPlan))
    }

    /// Undoes a statement, last operation first.
    mutating func discard(_ statement: Statement) {
        for op in statement.operations.reversed() {
            switch op {
            case .place(let pool, let placement, let pod, let pastPlan):
                pools[pool]!.give(placement, for: pod, pastPlan: pastPlan)
            case .release(let job, let slots):
                guard let a = active[job] else { continue }
                for s in slots where released[job]?.contains(s) ?? false {
                    take(a, slot: s)
                    released[job]?.remove(s)
                }
            }
        }
    }

    /// Takes back every replica of `job` released by the open statement (a victim spared after all).
    mutating func restore(_ job: JobID) {
        guard let a = active[job], let slots = released[job] else { return }
        for s in slots.sorted() { take(a, slot: s) }
        released[job] = nil
    }

    /// Makes the releases of a statement final: released replicas leave their jobs, and a job with
    /// none left leaves `active`. Placements stay applied; the caller records the new job.
    mutating func commitReleases() {
        for (job, slots) in released {
            guard var a = active[job] else { continue }
            let keep = a.slots.indices.filter { !slots.contains($0) }
            a.slots = keep.map { a.slots[$0] }
            a.models = keep.map { a.models[$0] }
            a.replicaIndices = keep.map { a.replicaIndices[$0] }
            active[job] = a.slots.isEmpty ? nil : a
        }
        released = [:]
    }

    /// Records a started job as active, charging quota and fair share for its replicas.
    mutating func admitStarted(_ job: Job, pool: PoolID, pod: PodRequest, slots: [Placement]) -> ActiveJob {
        let nodes = pools[pool]!.state.nodes
        let a = ActiveJob(
            job: job, pool: pool, pod: pod, slots: slots, models: slots.map { nodes[$0.node].model },
            estimatedEnd: estimatedEnd(of: job, startedAt: now), terminating: false, replicaIndices: Array(slots.indices)
        )
        for s in slots.indices { charge(a, model: a.models[s], sign: 1) }
        active[job.id] = a
        return a
    }

    /// Adds replicas to a running job (elastic grow), charging them.
    mutating func grow(_ job: JobID, by slots: [Placement]) {
        guard var a = active[job] else { return }
        let nodes = pools[a.pool]!.state.nodes
        var next = (a.replicaIndices.max() ?? -1) + 1
        for p in slots {
            a.slots.append(p)
            a.models.append(nodes[p.node].model)
            a.replicaIndices.append(next)
            next += 1
            charge(a, model: nodes[p.node].model, sign: 1)
        }
        active[job] = a
    }
}
