import ReservoirCore
import ReservoirPlacement

/// One scheduling cycle: a pure function from a snapshot to decisions, evictions, resizes and
/// reservations, with a reason for every job left waiting.
///
/// The recipe (Volcano's actions over one session):
/// 1. Open the session: each pool's free capacity (nodes minus what active jobs hold), quota usage,
///    each tenant's DRF usage, and every active job's estimated end.
/// 2. Order: a heap of tenant queues keyed by the head job's (effective class, tenant share,
///    arrival) — see `QueuePolicy` and `JobQueue`.
/// 3. Allocate each job in order (`Allocate.swift`): admission, gang placement, preemption or
///    reclaim, backfill reservation; the tenant's share is updated before its next job is ordered.
/// 4. Grow elastic jobs into capacity that nobody waits for (`Grow.swift`).
/// 5. Jobs beyond `maxJobsPerCycle` wait with kind `queue`.
///
/// How the server applies a result: evictions first (engine `preempt(job, graceSeconds:)`), then
/// resizes, then decisions; reservations and waiting reasons feed `explain`.
public struct SchedulingCycle: Sendable {
    public var configuration: SchedulerConfiguration

    public init(configuration: SchedulerConfiguration = SchedulerConfiguration()) {
        self.configuration = configuration
    }

    public func run(_ snapshot: SchedulingSnapshot) -> CycleResult {
        // 1. Session.
        let policy = configuration.placementPolicy
        var session = Session(snapshot: snapshot, configuration: configuration) { typical in
            PlacementPolicy.scorer(named: policy, workload: typical) ?? ReservoirScore(workload: typical)
        }

        // 2. Order.
        var queue = JobQueue(
            jobs: snapshot.pending, policy: configuration.queuePolicy, now: snapshot.now,
            agingClassesPerHour: configuration.agingClassesPerHour, share: { session.share($0) }
        )

        // 3. Allocate.
        var failures: [Session.ShapeKey: PendingReason] = [:]
        var examined = 0
        // Jobs are read in place through the buffer: a deep queue is never copied job by job.
        snapshot.pending.withUnsafeBufferPointer { pending in
            while examined < configuration.maxJobsPerCycle, let next = queue.pop() {
                examined += 1
                session.allocate(pending[next.index], classKey: next.classKey, failures: &failures)
                queue.requeue(next.slot, share: { session.share($0) })
            }
        }

        // 4. Grow.
        if configuration.elasticGrow {
            let waitingKinds: Set<String> = [PendingKind.capacity, PendingKind.gang, PendingKind.reservation, PendingKind.preempting]
            var blocked = Set<PoolID>()
            for job in snapshot.pending {
                guard let pool = job.pool, !blocked.contains(pool) else { continue }
                if let reason = session.result.waiting[job.id], waitingKinds.contains(reason.kind) { blocked.insert(pool) }
            }
            session.grow(blockedPools: blocked)
        }

        // 5. Not examined.
        for id in queue.remaining() {
            session.result.waiting[id] = PendingReason(
                kind: PendingKind.queue,
                message: "not examined this cycle: \(configuration.maxJobsPerCycle) jobs ahead of it were"
            )
        }
        return session.result
    }
}
