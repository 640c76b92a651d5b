import Logging
import Metrics
import ReservoirCore
import ReservoirEngine
import ReservoirScheduling
import ReservoirStore
import ServiceLifecycle

/// The scheduler loop: snapshot from the store → pure cycle → commit in one transaction → tell the engine.
/// Runs every `cycleInterval` seconds, or sooner when a submission or completion wakes it.
///
/// Reconciliation with the engines runs in the same loop, before the first cycle and then every
/// `reconcileInterval` seconds, always between cycles: no admitted job is then still on its way to an
/// engine, so none can be taken for lost and submitted twice.
public struct SchedulerService: Service {
    let reservoir: Reservoir

    public init(reservoir: Reservoir) { self.reservoir = reservoir }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var lastReconcile = -Double.infinity
            while !Task.isCancelled {
                if reservoir.now() - lastReconcile >= reservoir.configuration.reconcileInterval {
                    do {
                        try await reservoir.scheduling.reconcile()
                    } catch {
                        reservoir.logger.error("reconciliation with the engines failed", metadata: ["error": "\(error)"])
                    }
                    lastReconcile = reservoir.now()
                }
                do {
                    _ = try await reservoir.scheduling.runSchedulingCycle()
                } catch {
                    reservoir.logger.error("scheduling cycle failed", metadata: ["error": "\(error)"])
                }
                await reservoir.runtime.wakeups.wait(upTo: reservoir.configuration.cycleInterval)
            }
        }
    }
}

extension SchedulingContext {
    /// One full cycle, callable directly (tests, `reservoir schedule --once`).
    ///
    /// The jobs come from the scheduler's view (`JobView`: only what changed since the last cycle is
    /// read); the pure cycle runs off the cooperative pool (`Offload`), so a long one holds no thread
    /// HTTP handlers need; only reasons that changed are written. Any failure, or a decision the
    /// commit had to skip, makes the view read every job again next time.
    @discardableResult
    public func runSchedulingCycle() async throws -> CycleResult {
        let jobs = try jobView.current(store, configuration.profiles)
        if configuration.verifySchedulerView { try jobView.verify(store, configuration.profiles) }
        let snapshot = try schedulingSnapshot(jobs)
        let started = ContinuousClock.now
        let cycle = SchedulingCycle(configuration: configuration.scheduler)
        let result = try await Offload.run { cycle.run(snapshot) }
        let elapsed = ContinuousClock.now - started
        Timer(label: MetricNames.cycleDuration).recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)

        let admitted: [Job]
        do {
            try await applyEvictions(result.evictions)
            try await applyStops(snapshot.active)
            try await applyResizes(result.resizes)
            let reasons = Dictionary(snapshot.pending.map { ($0.id, $0.reason) }, uniquingKeysWith: { a, _ in a })
            admitted = try store.applyCycle(
                decisions: result.decisions.map { ($0.job, $0.placements, $0.rationale) },
                waiting: result.waiting.filter { reasons[$0.key] != $0.value }, by: system("scheduler"))
        } catch {
            jobView.invalidate()
            throw error
        }
        if admitted.count < result.decisions.count {
            // A job left the queue while the cycle ran (a cancel): the view missed nothing, but doubt is cheap to remove.
            jobView.invalidate()
        }
        for job in admitted {
            await start(job)
        }
        if !admitted.isEmpty {
            logger.debug("cycle admitted jobs", metadata: ["cycle.admitted": "\(admitted.count)", "cycle.waiting": "\(result.waiting.count)"])
        }
        let after = try jobView.current(store, configuration.profiles)
        publishGauges(pools: snapshot.pools, nodes: snapshot.nodes, tenants: snapshot.tenants, active: after.active, pending: after.pending)
        return result
    }

    /// What the pure cycle reads: the jobs from the view, the rest from the store (cached there).
    func schedulingSnapshot(_ jobs: JobView.Jobs) throws -> SchedulingSnapshot {
        let inventory = try store.inventory()
        let predictor = jobs.history.predictor
        var predicted: [JobID: Double] = [:]
        for job in jobs.active + jobs.pending where job.runtimeSeconds == nil {
            predicted[job.id] = predictor.predict(job)?.runtimeSeconds
        }
        let profiles = try deviceProfiles?.current(inventory: inventory) ?? []
        return SchedulingSnapshot(
            now: clock(), pools: inventory.pools, nodes: inventory.nodes, tenants: try store.tenants(),
            quotas: try quotasInEffect(), active: jobs.active,
            pending: jobs.pending, catalog: try store.catalog(),
            terminating: Set(jobs.active.filter { $0.evictionRequestedAt != nil || $0.pendingEngineCall?.endsJob == true }.map(\.id)),
            runtimeHistory: jobs.history.meanRuntimes,
            fixedSizePools: Set(inventory.pools.map(\.id).filter { !canResize(pool: $0) }),
            deviceClasses: Dictionary(profiles.map { ($0.device, $0.deviceClass) }, uniquingKeysWith: { a, _ in a }),
            unreliableDevices: Set(profiles.filter(\.unreliable).map(\.device)), predictedRuntimes: predicted)
    }

    /// Whether the engine that runs `pool`'s jobs can resize a running job (elastic grow and shrink).
    func canResize(pool: PoolID) -> Bool {
        let poolEngine = (engine as? EngineRegistry)?.engine(forPool: pool) ?? engine
        return poolEngine is any ResizingEngine
    }

    /// Evictions are committed first, then the engine is told. With no grace period the victim's
    /// devices are freed in the same step, so this cycle's decisions may use them; otherwise the
    /// victim keeps them until the engine reports it preempted (after checkpointing).
    func applyEvictions(_ evictions: [Eviction]) async throws {
        for eviction in evictions {
            let who = system("scheduler")
            // The message already names the cause and the preemptor; saying them again read as a stutter.
            let message = "preempted: \(eviction.message)"
            if eviction.graceSeconds <= 0 {
                try store.transitionJob(eviction.job, to: .preempted, by: who, message: message) {
                    $0.progressSeconds += max(0, who.at - ($0.startedAt ?? who.at))
                    $0.startedAt = nil
                }
            } else {
                try store.updateJob(eviction.job, action: "eviction-requested", by: who) { $0.evictionRequestedAt = who.at }
            }
            try recordPreemption(eviction, by: who)
            do {
                try await engine.preempt(eviction.job, graceSeconds: eviction.graceSeconds)
            } catch {
                logger.error("engine could not preempt job", metadata: ["job.id": "\(eviction.job)", "error": "\(error)"])
            }
        }
    }

    /// Jobs marked to stop (`PendingEngineCall.stop`: their grant was reclaimed) and not yet told are
    /// evicted like a preemption victim: `evictionRequestedAt` is committed, then the engine preempts them
    /// with the checkpoint grace period; their preemption then ends them (`EngineEventService`). With no
    /// grace they are cancelled at once. `active`: the cycle's snapshot (read once).
    func applyStops(_ active: [Job]) async throws {
        let grace = configuration.preemptionGraceSeconds
        for job in active where job.pendingEngineCall == .stop && job.evictionRequestedAt == nil {
            let who = system("scheduler")
            guard grace > 0 else {
                _ = try await tellEngineCancel(job, by: who)
                continue
            }
            try store.updateJob(job.id, action: "eviction-requested", by: who) { $0.evictionRequestedAt = who.at }
            do {
                try await engine.preempt(job.id, graceSeconds: grace)
            } catch {
                logger.error("engine could not stop job; reconciliation cancels it after its grace", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
            }
        }
    }

    /// A job under a grant keeps the list of jobs evicted for it, so each use of the green channel is
    /// reported with what it cost others (`GET /v1/grants?emergency=true`).
    private func recordPreemption(_ eviction: Eviction, by who: Attribution) throws {
        guard let preemptor = try store.job(eviction.preemptor), preemptor.grant != nil,
              !(preemptor.preempted ?? []).contains(eviction.job) else { return }
        try store.updateJob(preemptor.id, action: "preempted-for", by: who) { $0.preempted = ($0.preempted ?? []) + [eviction.job] }
    }

    /// Resizes are committed (placements and allocations in one transaction), then the engine is told.
    /// The cycle only resizes jobs whose engine can resize (`SchedulingSnapshot.fixedSizePools`); if
    /// the engine call fails, the job is marked and the reconciler retries it (`retryPendingEngineCall`).
    func applyResizes(_ resizes: [Resize]) async throws {
        for resize in resizes {
            let job = try store.resizeJob(resize.job, replicas: resize.toReplicas, placements: resize.placements, reason: resize.reason, by: system("scheduler"))
            try await tellEngineResize(job, by: system("scheduler"))
        }
    }

    /// Sends a job's committed size to its engine; a failure marks the job for the reconciler to retry.
    func tellEngineResize(_ job: Job, by who: Attribution) async throws {
        do {
            guard let resizing = engine as? any ResizingEngine else {
                throw ReservoirError(.unavailable, "the engine cannot resize running jobs")
            }
            try await resizing.resize(EngineJobSpec(job: job, remainingSeconds: job.runtimeSeconds.map { max(1, $0 - job.progressSeconds) }))
            if job.pendingEngineCall == .resize {
                try store.updateJob(job.id, action: "engine-confirmed", by: who) { $0.pendingEngineCall = nil }
            }
        } catch {
            logger.warning("engine did not confirm resize; reconciliation retries", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
            guard job.pendingEngineCall == nil else { return }
            try store.updateJob(job.id, action: "engine-pending", by: who) { $0.pendingEngineCall = .resize }
        }
    }

    /// Hands an admitted (already committed) job to the engine; if the engine refuses, the job is requeued.
    func start(_ job: Job) async {
        let remaining = job.runtimeSeconds.map { max(1, $0 - job.progressSeconds) }
        do {
            try await engine.submit(EngineJobSpec(job: job, remainingSeconds: remaining))
        } catch {
            logger.error("engine refused job", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
            _ = try? store.transitionJob(job.id, to: .queued, by: system("scheduler"), message: "engine refused: \(error)") {
                $0.reason = PendingReason(kind: "engine", message: "the engine refused the job: \(error)")
            }
        }
    }
}
