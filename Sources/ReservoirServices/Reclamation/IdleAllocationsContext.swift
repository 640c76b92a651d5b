import ReservoirCore
import ReservoirStore

/// Idle interactive/test allocations (SPEC §5.7): a running job of kind `test` whose hourly peak GPU and
/// GPU-memory utilization stayed below the idle thresholds for `interactiveIdleTimeoutHours` gets a
/// notice; still idle `interactiveNoticeHours` after it, it is cancelled through the normal cancel path
/// (the engine stops it) with a `ReclamationRecord` (kind job, reason idle). The notice's id names the
/// idle stretch, so a job that woke up and went idle again is warned again; the record's id names the
/// job, so a pass repeated after a crash neither records twice nor leaves the job running.
public struct IdleAllocationsContext: ApplicationContext {
    public typealias Store = JobStore & ReclamationStore & TelemetryReader & NotificationStore
    let store: any Store
    let jobs: JobsContext
    public let runtime: Runtime
    /// Wakes the pass early (a test).
    public let idleWakeups = Wakeups()

    /// One pass over the running test jobs; returns the records of the jobs reclaimed.
    @discardableResult
    public func pass() async throws -> [ReclamationRecord] {
        let now = clock()
        let leases = configuration.leases
        var reclaimed: [ReclamationRecord] = []
        for job in try store.jobs(tenant: nil, states: [.running], limit: PageRequest.maximumLimit) where job.kind == .test {
            guard let since = try idleSince(job, now: now), now - since >= leases.interactiveIdleTimeoutHours * 3_600 else { continue }
            let noticeID = "idle-job-\(job.id)-\(Int(since))"
            guard let notice = try store.notification(noticeID) else {
                try store.enqueueNotification(Self.notice(noticeID, job, idleSince: since, at: now, reclaimAt: now + leases.interactiveNoticeHours * 3_600))
                notificationWakeups.poke()
                continue
            }
            guard now - notice.createdAt >= leases.interactiveNoticeHours * 3_600 else { continue }
            reclaimed.append(try await reclaim(job, idleSince: since, at: now))
        }
        return reclaimed
    }

    /// Start of the job's current idle stretch: the end of its last busy hour (or its start); nil before
    /// any utilization was reported, which proves nothing.
    func idleSince(_ job: Job, now: Double) throws -> Double? {
        guard let started = job.startedAt else { return nil }
        let rule = configuration.leases.idleServices
        let hourly = try store.utilization(UtilizationQuery(scope: .job(job.id), since: started, until: now + 1, resolution: .hour))
        guard !hourly.isEmpty else { return nil }
        let busy = hourly.last { $0.gpuUtilMax >= rule.peakUtilizationBelowPercent || $0.memoryFractionMax * 100 >= rule.peakMemoryBelowPercent }
        return busy.map { $0.at + TelemetryResolution.hour.seconds } ?? started
    }

    func reclaim(_ job: Job, idleSince: Double, at now: Double) async throws -> ReclamationRecord {
        let who = system("idle")
        // A job with a runtime would have held its GPUs until it ends; without one it counts as open-ended.
        let endsAt = job.runtimeSeconds.map { now + max(0, $0 - job.progressSeconds) }
        let idleHours = Int(((now - idleSince) / 3_600).rounded())
        let record = ReclamationRecord(
            id: "recl-job-\(job.id)-1", kind: .job, object: job.id.rawValue, reason: .idle, tenant: job.tenant, pool: job.pool,
            model: job.request.models.first, gpuMilli: job.totalGPUMilli, at: now, actor: who.actor,
            freedGPUHours: ReclamationRecord.freedGPUHours(gpuMilli: job.totalGPUMilli, endsAt: endsAt, at: now), jobs: [job.id],
            note: "interactive job \(job.id) idle for \(idleHours) h (GPU and memory peaks below the idle thresholds) after a notice: stopped")
        let recorded = try store.recordReclamation(record, notices: [], by: who)
        do {
            _ = try await jobs.cancel(job.id, by: who)
        } catch let error as ReservoirError where error.code == .conflict {
            // Finished meanwhile: nothing left to stop.
        }
        return recorded ?? record
    }

    static func notice(_ id: String, _ job: Job, idleSince: Double, at now: Double, reclaimAt: Double) -> OutboxNotification {
        OutboxNotification(
            id: id, recipient: .user(job.submittedBy), topic: "job.idle-notice",
            subject: "interactive job \(job.id) idle since \(InstantText.iso(idleSince)): it will be stopped at \(InstantText.iso(reclaimAt)) unless it is used",
            body: OutboxNotification.body(IdleNoticeBody(job: job.id, idleSince: idleSince, reclaimAt: reclaimAt)), createdAt: now)
    }
}

/// The details of an idle interactive job's notice (its outbox body).
private struct IdleNoticeBody: Encodable {
    var job: JobID
    var idleSince: Double
    var reclaimAt: Double
}
