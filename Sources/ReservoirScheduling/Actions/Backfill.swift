import ReservoirCore
import ReservoirPlacement

/// The backfill action's reservation: when does the first blocked job of a pool fit, and where?
///
/// Slurm's availability map, specialised: free capacity only grows as running jobs end, except
/// for the reservation itself. So the map needs two views: *now* and *at the reservation start T*
/// (with the reserved job placed). A later job that ends before T only needs room now; one that
/// runs past T (or has no estimate) needs room in both, i.e. in their node-wise minimum
/// (`BackfillPlan.both`). Neither can then take what the reserved job needs at T.
///
/// Finding T: every active job of the pool ends at its estimate (start + declared runtime, else the
/// tenant's mean runtime from history, minus progress kept from earlier runs; evicted jobs at the
/// end of their grace), rounded up to `resolutionSeconds`; jobs without an estimate, or ending past
/// `windowSeconds`, never end within the window. Releases are grouped per rounded time and a binary
/// search finds the first group after which the gang fits (fitting is monotone: capacity only grows).
///
/// Example (resolution 60 s): 8-GPU node, jobs A (4 GPUs, ends in 100 s) and B (4 GPUs, ends in
/// 1000 s), a blocked 6-GPU job X. Groups: t+120 (A), t+1020 (B). After A: 4 free, no; after B: 8,
/// yes → X reserved at t+1020 on the node. A 2-GPU job with a 500 s estimate starts now (ends before
/// t+1020); a 2-GPU job with a 2000 s estimate waits: at t+1020 only 2 GPUs remain and X needs 6.
///
/// Cost: O(A + G log G) to group, O(log G) placement probes, each on a copy of the pool (O(nodes));
/// the probes release Σ replicas about twice in all (each probe only the groups since the last failed one).
extension Session {
    mutating func reserve(_ job: Job, pod: PodRequest, count: Int) -> Reservation? {
        let poolID = job.pool!
        let config = configuration.backfill
        guard pools[poolID]!.plan == nil else { return nil }
        let resolution = max(1, config.resolutionSeconds)
        // Read the running jobs in place (by index), never copying one: this pass touches all of them.
        let running = active.values
        var groups: [Double: [(id: JobID, at: Dictionary<JobID, ActiveJob>.Values.Index)]] = [:]
        for at in running.indices where running[at].pool == poolID {
            let end = running[at].terminating ? now + configuration.preemption.graceSeconds : running[at].estimatedEnd
            guard let end, end - now <= config.windowSeconds else { continue }
            let slot = now + ((end - now) / resolution).rounded(.up) * resolution
            groups[slot, default: []].append((running[at].job.id, at))
        }
        let times = groups.keys.sorted()
        guard !times.isEmpty else { return nil }
        // What each group gives back, resolved once (not per probe).
        var pods: [PodRequest] = []
        let release: [[(placement: Placement, pod: Int)]] = times.map { time in
            groups[time]!.sorted { $0.id < $1.id }.flatMap { entry in
                pods.append(running[entry.at].pod)
                return running[entry.at].slots.map { (placement: $0, pod: pods.count - 1) }
            }
        }
        let candidates = pools[poolID]!.candidates(for: pod)
        let mask = rejected(pod, pool: poolID)
        // Binary search over the groups with one running view: `base` is the pool once groups
        // 0..<low have ended; a probe of `mid` releases only groups low...mid on a copy of it, and a
        // failed probe becomes the new base. Each view equals "release groups 0...k from now" (same
        // releases, same order per node), but no probe starts from scratch.
        var base = pools[poolID]!.state
        var low = 0, high = times.count - 1
        var found: (k: Int, state: ClusterState, slots: [Placement])?
        while low <= high {
            let mid = (low + high) / 2
            var next = base
            var from = low
            if !configuration.reuseWithinCycle {
                next = pools[poolID]!.state
                from = 0
            }
            for g in from...mid {
                for r in release[g] { next.release(r.placement, for: pods[r.pod]) }
            }
            var state = next
            if case .placed(let slots) = placers[poolID]!.place(pod, count: count, candidates: candidates, rejected: mask, explain: false, in: &state) {
                found = (mid, state, slots)
                high = mid - 1
            } else {
                base = next
                low = mid + 1
            }
        }
        guard let found else { return nil }
        let nodes = Array(Set(found.slots.map { found.state.nodes[$0.node].id })).sorted()
        let current = pools[poolID]!.state
        var plan = BackfillPlan(job: job.id, start: times[found.k], atStart: found.state, both: current, nodes: nodes)
        for i in plan.both.nodes.indices { plan.refresh(i, now: current) }
        pools[poolID]!.plan = plan
        return Reservation(job: job.id, pool: poolID, earliestStart: times[found.k], nodes: nodes)
    }
}
