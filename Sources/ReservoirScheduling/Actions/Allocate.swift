import ReservoirCore
import ReservoirPlacement

/// The allocate action: one pending job, in queue order, through admission, placement,
/// preemption and reservation.
///
/// 1. Admission (`QuotaAdmission`): the models its quota and class allow, else wait (quota/class).
/// 2. If an earlier job holds a backfill reservation in the pool, the job is a backfill candidate:
///    one that ends before the reservation starts is placed on free capacity now; one that runs
///    past it (or has no estimate) on the node-wise minimum of now and the reservation view, so it
///    cannot delay the reserved job. A job that fits now but not so waits "behind reservation of X".
/// 3. Otherwise place the gang (`minMembers` replicas, all or none), then extra replicas up to
///    `replicas` as capacity allows.
/// 4. On failure: wait for jobs already evicted for it, else preempt (`Preempt.swift`), else
///    become the pool's reserved job (`Backfill.swift`), else wait with the placement's reasons.
///
/// Identical shapes that failed on unchanged capacity fail again, so the first failure is cached
/// per (shape, pool, path) and reused (kube-scheduler's equivalence classes): a deep queue of
/// unplaceable copies costs one hash lookup each.
extension Session {
    /// What a backfill candidate needs to know of the pool's reservation (not the views themselves).
    struct PlanRef {
        var job: JobID
        var start: Double
        var nodes: [NodeID]
    }

    struct ShapeKey: Hashable {
        var pool: PoolID
        var pod: PodRequest
        var count: Int
        var path: Int
    }

    mutating func allocate(_ job: Job, classKey: Int, failures: inout [ShapeKey: PendingReason]) {
        // Never bind the pool (or its plan) to a local across a mutation: the copy would make every
        // later change to the pool copy all its nodes (copy-on-write).
        guard let poolID = job.pool, pools[poolID] != nil else {
            result.waiting[job.id] = PendingReason(kind: PendingKind.pool, message: "pool \(job.pool?.rawValue ?? "(none)") does not exist")
            return
        }
        if let refusal = pools[poolID]!.pool.sharing.refusal(of: job.request, pool: poolID) {
            result.waiting[job.id] = PendingReason(kind: PendingKind.constraint, message: "can never run: \(refusal)")
            return
        }
        let gang = job.minMembers
        let verdict = admit(job, milli: gang * job.request.totalGPUMilli, pool: poolID)
        guard case .admitted(let models) = verdict else {
            if case .refused(let reason) = verdict { result.waiting[job.id] = reason }
            return
        }
        if let reserved = pools[poolID]!.plan?.job, !mayTestBackfill(pool: poolID) {
            result.waiting[job.id] = notTriedReason(pool: poolID, reserved: reserved)
            return
        }
        let pod = job.podRequest(models: models)

        if let plan = pools[poolID]!.plan.map({ PlanRef(job: $0.job, start: $0.start, nodes: $0.nodes) }) {
            backfillCandidate(job, pod: pod, plan: plan, classKey: classKey, failures: &failures)
            return
        }
        let key = ShapeKey(pool: poolID, pod: pod, count: gang, path: 0)
        if let reason = failures[key], !configuration.preemption.enabled {
            result.waiting[job.id] = reason
            return
        }
        var statement = Statement()
        if failures[key] == nil, let slots = placeGang(pod, count: gang, pool: poolID, onPlanView: false, in: &statement) {
            start(job, pod: pod, slots: slots, statement: statement, classKey: classKey, note: nil)
            return
        }
        let reason = failures[key] ?? lastFailure
        failures[key] = reason
        if waitForTerminating(job, pod: pod, count: gang) { return }
        if configuration.preemption.enabled, preempt(for: job, pod: pod, count: gang, classKey: classKey) {
            failures = [:]
            return
        }
        if configuration.backfill.enabled, reason.kind != PendingKind.constraint,
           let reservation = reserve(job, pod: pod, count: gang) {
            result.reservations.append(reservation)
            result.waiting[job.id] = PendingReason(
                kind: reason.kind,
                message: reason.message + "; holds the backfill reservation of pool \(poolID) from t=\(Int(reservation.earliestStart))s",
                details: reason.details
            )
            return
        }
        result.waiting[job.id] = reason
    }

    /// Counts a backfill candidate of the pool; false once `backfill.maxJobTest` were tried this cycle.
    /// Asked before the job's pod is even built: in a deep queue nearly every job lands past the limit.
    private mutating func mayTestBackfill(pool poolID: PoolID) -> Bool {
        backfillTested[poolID, default: 0] += 1
        return backfillTested[poolID]! <= configuration.backfill.maxJobTest
    }

    /// The same sentence for every job past the limit (a pool holds one reservation per cycle).
    private mutating func notTriedReason(pool poolID: PoolID, reserved: JobID) -> PendingReason {
        if let known = notTried[poolID] { return known }
        let reason = PendingReason(
            kind: PendingKind.reservation,
            message: "behind the reservation of job \(reserved); not tried this cycle (backfill tests at most \(configuration.backfill.maxJobTest) jobs)"
        )
        notTried[poolID] = reason
        return reason
    }

    /// Step 2: a job behind the pool's reservation, among the first `backfill.maxJobTest` of the
    /// pool this cycle (`mayTestBackfill` counted it).
    private mutating func backfillCandidate(
        _ job: Job, pod: PodRequest, plan: PlanRef, classKey: Int, failures: inout [ShapeKey: PendingReason]
    ) {
        let poolID = job.pool!
        let runtime = estimatedRuntime(job).map { max(0, $0 - job.progressSeconds) }
        let pastPlan = runtime.map { now + $0 > plan.start } ?? true
        let key = ShapeKey(pool: poolID, pod: pod, count: job.minMembers, path: pastPlan ? 2 : 1)
        var statement = Statement()
        if failures[key] == nil,
           let slots = placeGang(pod, count: job.minMembers, pool: poolID, onPlanView: pastPlan, in: &statement) {
            let note = pastPlan
                ? "backfilled beside the reservation of job \(plan.job) without touching what it needs at t=\(Int(plan.start))s"
                : "backfilled ahead of job \(plan.job): ends by t=\(Int(now + runtime!))s\(estimateSource(job)), before its reservation at t=\(Int(plan.start))s"
            start(job, pod: pod, slots: slots, statement: statement, classKey: classKey, note: note)
            return
        }
        if failures[key] == nil {
            failures[key] = pastPlan ? fitsNowReason(pod, count: job.minMembers, pool: poolID, plan: plan) ?? lastFailure : lastFailure
        }
        var reason = failures[key]!
        if reason.kind == PendingKind.reservation, runtime == nil {
            reason.message += " (no runtime estimate: assumed to run past it)"
        }
        result.waiting[job.id] = reason
    }

    /// The "behind reservation" reason when the gang would fit on free capacity now, else nil.
    private mutating func fitsNowReason(_ pod: PodRequest, count: Int, pool poolID: PoolID, plan: PlanRef) -> PendingReason? {
        let candidates = pools[poolID]!.candidates(for: pod)
        let mask = rejected(pod, pool: poolID)
        guard case .placed(let slots) = placers[poolID]!.place(
            pod, count: count, candidates: candidates, rejected: mask, explain: false, in: &pools[poolID]!.state
        ) else {
            return nil
        }
        for p in slots.reversed() { pools[poolID]!.state.release(p, for: pod) }
        return PendingReason(
            kind: PendingKind.reservation,
            message: "fits now, but would delay job \(plan.job), reserved to start at t=\(Int(plan.start))s on "
                + plan.nodes.map(\.rawValue).joined(separator: ", ")
        )
    }

    /// Places `count` replicas of `pod` in `pool` inside `statement`; nil (and `lastFailure` set, when
    /// `explain`) when they do not fit. Probes whose failure nobody explains pass `explain: false`.
    mutating func placeGang(
        _ pod: PodRequest, count: Int, pool poolID: PoolID, onPlanView: Bool, explain: Bool = true, in statement: inout Statement
    ) -> [Placement]? {
        let candidates = pools[poolID]!.candidates(for: pod)
        let mask = rejected(pod, pool: poolID)
        let outcome: GangPlacer.Outcome
        if onPlanView {
            outcome = placers[poolID]!.place(pod, count: count, candidates: candidates, rejected: mask, explain: explain, in: &pools[poolID]!.plan!.both)
        } else {
            outcome = placers[poolID]!.place(pod, count: count, candidates: candidates, rejected: mask, explain: explain, in: &pools[poolID]!.state)
        }
        switch outcome {
        case .placed(let slots):
            for p in slots.reversed() {
                if onPlanView { pools[poolID]!.plan!.both.release(p, for: pod) } else { pools[poolID]!.state.release(p, for: pod) }
            }
            for p in slots { place(p, pod: pod, pool: poolID, pastPlan: onPlanView, in: &statement) }
            return slots
        case .failed(let placed, let reasons):
            guard explain else { return nil }
            lastFailure = Self.explain(reasons, nodes: pools[poolID]!.state.nodes.count, placed: placed, count: count)
            return nil
        }
    }

    /// Records a started job: extra replicas beyond the gang as capacity allows, then the decision.
    mutating func start(_ job: Job, pod: PodRequest, slots: [Placement], statement: Statement, classKey: Int, note: String?) {
        let poolID = job.pool!
        var slots = slots
        var statement = statement
        let pastPlan = pools[poolID]!.plan != nil
        for _ in slots.count..<max(slots.count, job.replicas) {
            guard quotaAllows(job, milli: job.request.totalGPUMilli, pool: poolID),
                  let more = placeGang(pod, count: 1, pool: poolID, onPlanView: pastPlan, explain: false, in: &statement) else { break }
            slots += more
        }
        commitReleases()
        let a = admitStarted(job, pool: poolID, pod: pod, slots: slots)
        let nodes = pools[poolID]!.state.nodes
        result.decisions.append(Decision(
            job: job.id, placements: a.replicaPlacements(nodes: nodes),
            rationale: Explain.placement(job, slots: slots, nodes: nodes, session: self, classKey: classKey, note: note)
        ))
    }

    /// Admission, cached while neither the pool's capacity nor the ledger changed: a deep queue of
    /// jobs that cannot start costs one hash lookup each.
    mutating func admit(_ job: Job, milli: Int, pool: PoolID) -> QuotaAdmission.Verdict {
        guard job.request.gpus > 0 else { return .admitted(nil) }
        let key = QuotaAdmission.Key(job, milli: milli, pool: pools[pool]!, ledger: ledger)
        if let cached = admissions[key] { return cached }
        if admissions.count > 4_096 { admissions.removeAll(keepingCapacity: true) }
        let verdict = QuotaAdmission.admit(job, milli: milli, pool: pools[pool]!, ledger: ledger, table: slotTables[pool]!, catalog: catalog)
        admissions[key] = verdict
        return verdict
    }

    /// Whether the quota still admits `milli` more for the job on some model (extra replicas, growth).
    mutating func quotaAllows(_ job: Job, milli: Int, pool: PoolID) -> Bool {
        guard milli > 0 else { return true }
        if case .admitted = admit(job, milli: milli, pool: pool) { return true }
        return false
    }

    /// Turns per-node filter counts into a reason: constraint when no node could ever fit, gang when
    /// part of the gang fitted, capacity otherwise.
    static func explain(_ reasons: [String: Int], nodes: Int, placed: Int, count: Int) -> PendingReason {
        guard nodes > 0 else { return PendingReason(kind: PendingKind.capacity, message: "pool has no nodes") }
        let capacityReasons: Set<String> = [ResourceFitFilter.cpu, ResourceFitFilter.memory, ResourceFitFilter.gpu]
        let summary = reasons.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }
            .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let onlyConstraints = !reasons.isEmpty && reasons.keys.allSatisfy { !capacityReasons.contains($0) }
        let gangNote = count > 1 ? " (gang incomplete: \(placed) of \(count) replicas fit; all must start together)" : ""
        let kind = onlyConstraints ? PendingKind.constraint : (placed > 0 ? PendingKind.gang : PendingKind.capacity)
        return PendingReason(kind: kind, message: "0/\(nodes) nodes available: \(summary)\(gangNote)", details: reasons)
    }
}
