import ReservoirCore

/// Replays a workload in virtual time through `SchedulingCycle`, as a discrete-event simulation.
///
/// Events are arrivals, completions (start + runtime − progress kept) and evicted jobs leaving at
/// the end of their grace. At every distinct event time the replay applies what happened, runs one
/// cycle on a snapshot of that instant, and applies its result the way the server does: evictions
/// (a victim leaves after the grace; it keeps all its progress when the grace covers
/// `checkpointCostSeconds`, else only what its last periodic checkpoint saved), resizes, decisions.
/// Time never moves by itself: the clock is the event list.
///
/// Example: job a (2 GPUs, 100 s) arrives at 0 on an empty 2-GPU pool and starts; b (P1, 2 GPUs)
/// arrives at 10 and evicts a (P3) with a 30 s grace; a leaves at 40 with 40 s of progress, b starts
/// at 40 and ends at 140, a restarts at 140 and ends at 200.
public struct TraceReplay: Sendable {
    public var scheduler: SchedulerConfiguration
    /// Running jobs save a checkpoint this often; work since the last one is lost on a hard eviction.
    public var checkpointIntervalSeconds: Double
    /// A grace period at least this long lets a victim checkpoint everything before it leaves.
    public var checkpointCostSeconds: Double

    public init(scheduler: SchedulerConfiguration = SchedulerConfiguration(), checkpointIntervalSeconds: Double = 1_800, checkpointCostSeconds: Double = 60) {
        self.scheduler = scheduler
        self.checkpointIntervalSeconds = checkpointIntervalSeconds
        self.checkpointCostSeconds = checkpointCostSeconds
    }

    public func run(_ workload: ReplayWorkload) -> ReplayReport {
        let cycle = SchedulingCycle(configuration: scheduler)
        var recorder = ReplayRecorder(workload: workload)
        var arrivals = workload.jobs[...]
        var pending: [JobID: Job] = [:]
        var active: [JobID: Job] = [:]
        var ends: [JobID: Double] = [:]
        var leaving: [JobID: Double] = [:]
        var finished: [TenantID: (sum: Double, count: Double)] = [:]
        var now = workload.jobs.first?.submittedAt ?? 0
        while true {
            // 1. What happens now.
            for (id, end) in ends where end <= now {
                let job = active.removeValue(forKey: id)!
                ends[id] = nil
                recorder.completed()
                let r = workload.runtimes[id]!
                finished[job.tenant, default: (0, 0)].sum += r
                finished[job.tenant, default: (0, 0)].count += 1
            }
            for (id, at) in leaving where at <= now {
                leaving[id] = nil
                var job = active.removeValue(forKey: id)!
                ends[id] = nil
                let ran = now - (job.startedAt ?? now)
                let kept = scheduler.preemption.graceSeconds >= checkpointCostSeconds
                    ? ran : (ran / checkpointIntervalSeconds).rounded(.down) * checkpointIntervalSeconds
                recorder.lost(gpuSeconds: (ran - kept) * Double(job.placements.count * job.request.totalGPUMilli) / 1000)
                job.progressSeconds += kept
                job.placements = []
                job.startedAt = nil
                job.checkpointedAt = nil
                job.state = .preempted
                pending[id] = job
            }
            while let next = arrivals.first, next.submittedAt <= now {
                pending[next.id] = next
                arrivals.removeFirst()
            }
            // 2. One cycle.
            if !pending.isEmpty {
                for (id, job) in active where job.startedAt != nil {
                    let since = now - job.startedAt!
                    active[id]!.checkpointedAt = job.startedAt! + (since / checkpointIntervalSeconds).rounded(.down) * checkpointIntervalSeconds
                }
                let snapshot = SchedulingSnapshot(
                    now: now, pools: [workload.pool], nodes: workload.nodes, tenants: workload.tenants, quotas: workload.quotas,
                    active: active.values.sorted { $0.id < $1.id }, pending: pending.values.sorted { $0.id < $1.id },
                    terminating: Set(leaving.keys),
                    runtimeHistory: finished.mapValues { $0.sum / $0.count }
                )
                let result = cycle.run(snapshot)
                recorder.cycles += 1
                // 3. Apply: evictions, resizes, decisions.
                for e in result.evictions where active[e.job] != nil {
                    recorder.preemptions += 1
                    leaving[e.job] = now + e.graceSeconds
                }
                for r in result.resizes where active[r.job] != nil { active[r.job]!.placements = r.placements }
                for d in result.decisions {
                    guard var job = pending.removeValue(forKey: d.job) else { continue }
                    job.placements = d.placements
                    job.startedAt = now
                    job.state = .running
                    recorder.started(job, at: now)
                    ends[job.id] = now + max(0, workload.runtimes[job.id]! - job.progressSeconds)
                    active[job.id] = job
                }
                // Zero-grace victims leave at once, before time moves on.
                if leaving.values.contains(where: { $0 <= now }) { continue }
            }
            recorder.sample(at: now, active: active.values)
            // 4. Next event.
            let candidates = [arrivals.first?.submittedAt, ends.values.min(), leaving.values.min()].compactMap { $0 }
            guard let next = candidates.min() else { break }
            now = max(next, now)
        }
        return recorder.report(pending: pending, end: now)
    }
}
