import ReservoirCore
import ReservoirEngine
import ReservoirStore

extension SchedulingContext {
    /// Brings the store and the engine into agreement after a restart: jobs the store believes
    /// hold devices are checked against the engine; jobs the engine lost are resubmitted with their
    /// progress kept; jobs that ended meanwhile take their final state; cancels and resizes the engine
    /// did not confirm are sent again. Every repair is audited. The scheduler's job view is read afresh
    /// afterwards: a periodic full read bounds any drift the change feed could ever leave.
    public func reconcile() async throws {
        defer { jobView.invalidate() }
        try await repairEngines()
        let active = try store.jobs(tenant: nil, states: [.admitted, .running], limit: 1_000_000)
        for job in active {
            // Engine calls committed but never confirmed (the engine was down) are retried first.
            switch job.pendingEngineCall {
            case .cancel:
                _ = try await tellEngineCancel(job, by: system("reconciler"))
                continue
            case .stop:
                // Not told yet: the next cycle evicts it with its grace. Told, and not confirmed within the
                // grace (the engine lost it, a restart): ended outright.
                if let asked = job.evictionRequestedAt, clock() >= asked + configuration.preemptionGraceSeconds {
                    _ = try await tellEngineCancel(job, by: system("reconciler"))
                }
                continue
            case .resize: try await tellEngineResize(job, by: system("reconciler"))
            case nil: break
            }
            let report = try await engine.status(job.id)
            // A job that started and ended between two looks is started at the engine's start time,
            // so its metered run is the engine's.
            if job.state == .admitted, let started = report.startedAt, report.phase != .unknown, report.phase != .pending {
                apply(EngineEvent(job: job.id, kind: .started, at: started))
            }
            switch report.phase {
            case .running, .pending:
                if job.state == .admitted { apply(EngineEvent(job: job.id, kind: .started, at: report.startedAt ?? clock())) }
            case .succeeded: apply(EngineEvent(job: job.id, kind: .succeeded, at: report.finishedAt ?? clock(), message: report.message, exitCode: report.exitCode), by: "reconciler")
            case .failed: apply(EngineEvent(job: job.id, kind: .failed, at: report.finishedAt ?? clock(), message: report.message, exitCode: report.exitCode), by: "reconciler")
            case .cancelled: apply(EngineEvent(job: job.id, kind: .cancelled, at: report.finishedAt ?? clock(), message: report.message), by: "reconciler")
            case .preempted: apply(EngineEvent(job: job.id, kind: .preempted, at: report.finishedAt ?? clock(), message: report.message), by: "reconciler")
            case .unknown:
                let now = clock()
                let repaired = try store.updateJob(job.id, action: "reconcile", by: system("reconciler")) {
                    $0.progressSeconds += max(0, now - ($0.startedAt ?? now))
                    $0.startedAt = nil
                }
                logger.notice("engine lost job; resubmitting", metadata: ["job.id": "\(job.id)"])
                if repaired.state == .running {
                    // Told to end meanwhile (a cancel, a reclamation's stop in the same restart): the requeue
                    // clears that mark, so the job ends here instead of running again.
                    var told: String?
                    try store.transitionJob(job.id, to: .preempted, by: system("reconciler"), message: "engine lost the job; requeued with progress kept") {
                        if $0.pendingEngineCall?.endsJob == true { told = Self.requestedEnd($0.message) }
                    }
                    if let told {
                        try store.transitionJob(job.id, from: [.preempted], to: .cancelled, by: system("reconciler"), message: told) {
                            $0.finishedAt = now
                            $0.message = told
                        }
                    }
                } else {
                    await start(repaired)
                    // The engine's "started" may precede this service's subscription; read it back.
                    let after = try await engine.status(job.id)
                    if after.phase == .running { apply(EngineEvent(job: job.id, kind: .started, at: after.startedAt ?? clock())) }
                }
            }
        }
        wakeups.poke()
    }

    /// Engines that can lose or duplicate work in a crash of their own (Slurm) are first brought in
    /// line with the jobs Reservoir committed to them; each repair they make is written to the audit log.
    func repairEngines() async throws {
        let reconcilers: [(cluster: ClusterID?, engine: any EngineReconciling)]
        if let registry = engine as? EngineRegistry {
            reconcilers = registry.clusterEngines.compactMap { entry in (entry.engine as? any EngineReconciling).map { (entry.cluster, $0) } }
        } else if let single = engine as? any EngineReconciling {
            reconcilers = [(nil, single)]
        } else {
            return
        }
        let inventory = try store.inventory()
        let clusterOfPool = Dictionary(uniqueKeysWithValues: inventory.pools.map { ($0.id, $0.cluster) })
        let active = try store.jobs(tenant: nil, states: [.admitted, .running], limit: 1_000_000)
        for (cluster, reconciler) in reconcilers {
            // A job whose eviction or cancel is under way is not expected to run: its engine copy may rightly be held.
            let mine = active.filter { job in
                job.evictionRequestedAt == nil && job.pendingEngineCall?.endsJob != true && (cluster == nil || job.pool.flatMap { clusterOfPool[$0] } == cluster)
            }
            let expected = mine.map { EngineJobSpec(job: $0, remainingSeconds: remaining($0)) }
            let tenantOf = Dictionary(uniqueKeysWithValues: mine.map { ($0.id, $0.tenant) })
            for repair in try await reconciler.reconcile(expected: expected) {
                let object = repair.job.map { "jobs/\($0)" } ?? repair.node.map { "nodes/\($0)" } ?? "clusters/\(cluster?.rawValue ?? "-")"
                try store.recordAudit(
                    action: "engine.\(repair.kind.rawValue)", object: object, tenant: repair.job.flatMap { tenantOf[$0] },
                    detail: repair, by: system("reconciler"))
            }
        }
    }

    private func remaining(_ job: Job) -> Double? { job.runtimeSeconds.map { max(1, $0 - job.progressSeconds) } }
}
