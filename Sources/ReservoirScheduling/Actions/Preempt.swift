import ReservoirCore
import ReservoirPlacement

/// The preempt/reclaim action: free room for a job that does not fit by evicting lower-class
/// preemptible work, shrinking elastic jobs toward their minimum first.
///
/// Who may be a victim (all must hold): preemptible; not already evicted (terminating); its tenant
/// borrows on the victim's model (uses more than its guarantee: a tenant within its guarantee is
/// never preempted); and either a strictly lower class (priority preemption), or the same class
/// when the preemptor's tenant is reclaiming its own guarantee and `reclaimWithinClass` is on.
///
/// Order (least lost work first): lowest class, least GPU-seconds since the last checkpoint,
/// most GPUs held (fewer victims), id. Then:
/// 1. shrink elastic candidates one replica at a time down to `minMembers`, trying the fit after each
///    (not in `fixedSizePools`, whose engine cannot resize: there they are evicted whole);
/// 2. evict whole candidates, trying the fit after each;
/// 3. spare again every whole victim, last first, whose devices the job turns out not to need.
/// With a grace period of 0 the job starts in this cycle on the freed devices; otherwise the
/// victims keep their devices for the grace period and the job waits `preempting` until they leave.
///
/// Example: a P0 job needs 8 GPUs on a full node running P3 jobs A (4 GPUs, 2 h since checkpoint)
/// and B, C (2 GPUs each, 5 min since checkpoint), all of borrowing tenants. Order: B, C (least lost
/// work), then A. Evicting B and C frees 4, evicting A frees 8 → fits. Sparing pass: without A only
/// 4 are free, without C only 6, without B only 6, so all three stay victims.
struct PreemptionKey: Hashable {
    var pool: PoolID
    var pod: PodRequest
    var count: Int
    var rank: Int
    /// The reclaiming tenant (victims exclude its own jobs); nil for priority preemption.
    var reclaimer: TenantID?
}

extension Session {
    mutating func preempt(for job: Job, pod: PodRequest, count: Int, classKey: Int) -> Bool {
        let poolID = job.pool!
        let need = pod.totalGPUMilli * count
        let models = pod.models ?? Set(pools[poolID]!.totalByModel.keys)
        let reclaim = need > 0 && models.contains { ledger.staysWithinGuarantee(tenant: job.tenant, pool: poolID, model: $0, milli: need) }
        let key = PreemptionKey(pool: poolID, pod: pod, count: count, rank: job.priority.rank, reclaimer: reclaim ? job.tenant : nil)
        guard !preemptionFailures.contains(key) else { return false }
        let candidates = victimCandidates(for: job, pod: pod, reclaim: reclaim)
        guard !candidates.isEmpty else {
            preemptionFailures.insert(key)
            return false
        }
        var statement = Statement()
        var shrunk: [JobID: Int] = [:]
        var victims: [JobID] = []
        var fits = false
        // 1. Shrink elastic jobs toward their minimum, where the pool's engine can resize them.
        shrinking: for c in candidates where c.slots.count > c.job.minMembers && !fixedSizePools.contains(poolID) {
            for s in stride(from: c.slots.count - 1, through: c.job.minMembers, by: -1) {
                guard isBorrowing(c) else { break }
                release(c.job.id, slots: [s], in: &statement)
                shrunk[c.job.id, default: c.slots.count] -= 1
                if roomFor(pod, count: count, need: need, pool: poolID) { fits = true; break shrinking }
            }
        }
        // 2. Evict whole jobs.
        if !fits {
            for c in candidates where isBorrowing(c) {
                release(c.job.id, slots: Array(c.slots.indices), in: &statement)
                shrunk[c.job.id] = nil
                victims.append(c.job.id)
                if roomFor(pod, count: count, need: need, pool: poolID) { fits = true; break }
            }
        }
        guard fits else {
            discard(statement)
            preemptionFailures.insert(key)
            return false
        }
        // 3. Spare victims the job does not need, last first.
        for v in victims.reversed() {
            restore(v)
            if roomFor(pod, count: count, need: need, pool: poolID) {
                victims.removeAll { $0 == v }
            } else {
                release(v, slots: Array(active[v]!.slots.indices), in: &statement)
            }
        }
        let evictions = victims.map { eviction(of: active[$0]!, for: job, reclaim: reclaim) }
        let grace = configuration.preemption.graceSeconds
        if grace > 0, !victims.isEmpty {
            for v in victims {
                restore(v)
                active[v]!.terminating = true
                leavingByPool[poolID, default: []].append(v)
            }
            commitShrinks(shrunk)
            result.evictions += evictions
            result.waiting[job.id] = PendingReason(
                kind: PendingKind.preempting,
                message: "evicting \(victims.map(\.rawValue).joined(separator: ", ")) for it; they leave after a \(Int(grace))s grace period"
            )
            return true
        }
        var placement = Statement()
        guard let slots = placeGang(pod, count: count, pool: poolID, onPlanView: false, in: &placement) else {
            discard(statement)
            return false
        }
        commitShrinks(shrunk)
        result.evictions += evictions
        let note = victims.isEmpty ? "started after shrinking elastic jobs" : "started after evicting " + victims.map(\.rawValue).joined(separator: ", ")
        start(job, pod: pod, slots: slots, statement: placement, classKey: classKey, note: note)
        return true
    }

    /// True, with the job set waiting, when jobs evicted in earlier cycles will leave enough room for
    /// it once their grace ends: it then evicts nobody new (Kueue waits for terminating victims too).
    mutating func waitForTerminating(_ job: Job, pod: PodRequest, count: Int) -> Bool {
        guard let leaving = leavingByPool[job.pool!], !leaving.isEmpty else { return false }
        var statement = Statement()
        for id in leaving { release(id, slots: Array(active[id]!.slots.indices), in: &statement) }
        let fits = roomFor(pod, count: count, need: pod.totalGPUMilli * count, pool: job.pool!)
        discard(statement)
        guard fits else { return false }
        result.waiting[job.id] = PendingReason(
            kind: PendingKind.preempting,
            message: "waiting for evicted jobs to leave after their grace period: " + leaving.map(\.rawValue).joined(separator: ", ")
        )
        return true
    }

    /// Eligible victims in the pool, in victim order.
    private func victimCandidates(for job: Job, pod: PodRequest, reclaim: Bool) -> [ActiveJob] {
        let rank = job.priority.rank
        let sameClassOK = reclaim && configuration.preemption.reclaimWithinClass
        let eligible = active.values.filter { a in
            guard a.pool == job.pool, !a.terminating, a.job.preemptible, a.job.id != job.id else { return false }
            let r = a.job.priority.rank
            guard r > rank || (sameClassOK && r == rank && a.job.tenant != job.tenant) else { return false }
            guard pod.gpus > 0, a.pod.gpus > 0, let models = pod.models else { return true }
            return a.models.contains { models.contains($0) }
        }
        // Sort small keys, not the jobs themselves.
        let keys = eligible.indices.map { i in (rank: -eligible[i].job.priority.rank, lost: eligible[i].lostWork(now: now), held: -eligible[i].heldGPUMilli, id: eligible[i].job.id, i: i) }
            .sorted { ($0.rank, $0.lost, $0.held, $0.id) < ($1.rank, $1.lost, $1.held, $1.id) }
        let out = keys.map { eligible[$0.i] }
        return Array(out.prefix(configuration.preemption.maxCandidates))
    }

    /// Whether the victim's tenant still uses more than its guarantee (on any model it holds here).
    private func isBorrowing(_ a: ActiveJob) -> Bool {
        let models = a.models.isEmpty || a.pod.gpus == 0 ? [""] : Array(Set(a.models))
        return models.contains { ledger.isBorrowing(tenant: a.job.tenant, pool: a.pool, model: $0) }
    }

    /// Whether the job would fit now; a cheap total-GPU check spares most placement tries.
    private mutating func roomFor(_ pod: PodRequest, count: Int, need: Int, pool: PoolID) -> Bool {
        if need > 0, pools[pool]!.freeMilli(models: pod.models) < need { return false }
        var probe = Statement()
        guard placeGang(pod, count: count, pool: pool, onPlanView: false, explain: false, in: &probe) != nil else { return false }
        discard(probe)
        return true
    }

    /// Makes the released replicas of shrunk jobs final and reports each resize.
    private mutating func commitShrinks(_ shrunk: [JobID: Int]) {
        let before = shrunk.keys.map { ($0, active[$0]!.slots.count) }
        commitReleases()
        for (id, from) in before.sorted(by: { $0.0 < $1.0 }) {
            guard let a = active[id] else { continue }
            result.resizes.append(Resize(
                job: id, fromReplicas: from, toReplicas: a.slots.count,
                placements: a.replicaPlacements(nodes: pools[a.pool]!.state.nodes), reason: "shrink"
            ))
        }
    }

    private func eviction(of a: ActiveJob, for job: Job, reclaim: Bool) -> Eviction {
        let kind = a.job.priority > job.priority && !reclaim ? "priority" : "reclaim"
        let lost = (a.lostWork(now: now) / 36).rounded() / 100
        let why = kind == "priority"
            ? "\(a.job.priority.rawValue) work evicted for \(job.priority.rawValue) job \(job.id)"
            : "borrowed capacity reclaimed by tenant \(job.tenant) for job \(job.id)"
        return Eviction(
            job: a.job.id, preemptor: job.id, reason: kind,
            message: why + "; tenant \(a.job.tenant) is above its guarantee; \(lost) GPU-h since its last checkpoint",
            graceSeconds: configuration.preemption.graceSeconds
        )
    }
}
