import ReservoirCore
import ReservoirPlacement

/// The elastic grow action, run after allocation: running jobs below their ceiling
/// (`maxReplicas`, else `replicas`) take one more replica at a time, in class then fair-share order,
/// while their quota admits it and capacity is idle. Capacity counts as idle only in pools where no
/// job was left waiting for capacity this cycle (else growth would take what a waiting job needs),
/// and growth may never use the pool's dynamic reserve (admission checks it like a new job).
///
/// Jobs in pools whose engine cannot resize (`fixedSizePools`) never grow.
/// Jobs started in this cycle grow from the next one, so a job never gets a decision and a resize together.
///
/// Example: an elastic job 2…6 replicas of 1 GPU runs with 2 on a 8-GPU node holding nothing else
/// and no job waits: it grows to 6 (one `Resize` 2 → 6). If a 4-GPU job then waits, the job is not
/// grown; if that job is P1 and the elastic job P3, preemption shrinks it back toward 2 first.
extension Session {
    mutating func grow(blockedPools: Set<PoolID>) {
        // Nothing to do (and no need to look at every running job) when every pool has a job waiting.
        guard pools.keys.contains(where: { !blockedPools.contains($0) && !fixedSizePools.contains($0) }) else { return }
        let startedNow = Set(result.decisions.map(\.job))
        let growable = active.values.filter { a in
            !a.terminating && !blockedPools.contains(a.pool) && !fixedSizePools.contains(a.pool) && !startedNow.contains(a.job.id) && a.slots.count < a.job.replicaBounds.max
        }.sorted { a, b in
            if a.job.priority != b.job.priority { return a.job.priority < b.job.priority }
            let sa = share(a.job.tenant), sb = share(b.job.tenant)
            if sa != sb { return sa < sb }
            return a.job.id < b.job.id
        }
        for a in growable {
            let from = a.slots.count
            var added: [Placement] = []
            var statement = Statement()
            let pod = a.pod
            while from + added.count < a.job.replicaBounds.max {
                guard quotaAllows(a.job, milli: pod.totalGPUMilli, pool: a.pool) else { break }
                var grownPod = pod
                grownPod.models = modelsAllowed(a)
                guard let more = placeGang(grownPod, count: 1, pool: a.pool, onPlanView: false, explain: false, in: &statement) else { break }
                added += more
                grow(a.job.id, by: more)
            }
            guard !added.isEmpty, let grown = active[a.job.id] else { continue }
            result.resizes.append(Resize(
                job: a.job.id, fromReplicas: from, toReplicas: grown.slots.count,
                placements: grown.replicaPlacements(nodes: pools[a.pool]!.state.nodes), reason: "grow"
            ))
        }
    }

    /// The models a growing job may add replicas on: its quota's admitted models right now.
    private func modelsAllowed(_ a: ActiveJob) -> Set<String>? {
        guard case .admitted(let models) = QuotaAdmission.admit(
            a.job, milli: a.pod.totalGPUMilli, pool: pools[a.pool]!, ledger: ledger, table: slotTables[a.pool]!, catalog: catalog
        ) else { return [] }
        return models
    }
}
