import ReservoirCore
import ReservoirEngine
import ReservoirStore

/// Jobs & scheduling, as the scheduler and the engines see it: scheduling cycles and what they commit,
/// engine events, reconciliation with the engines, and engine provisioning. Background services
/// (`SchedulerService`, `EngineEventService`, `ProvisioningService`) drive it; users reach jobs
/// through `JobsContext`.
public struct SchedulingContext: ApplicationContext {
    public typealias Store = SchedulingStore & DurableJobWrites
    let store: any Store
    let engine: any ExecutionEngine
    public let runtime: Runtime
    /// The devices' profiles, whose classes and fault flags profile matching uses; nil: catalog figures only.
    var deviceProfiles: ProfilesContext?
    /// Grants in effect: they raise the quotas the cycle and provisioning read, and their requests become
    /// active when a job under them starts; nil: the stored quotas alone.
    var grants: GrantsContext?
    /// The scheduler's view of the jobs, followed from the store's change feed (shared by every copy of this context).
    let jobView = JobView()

    /// The quotas in effect now: the stored ones raised by the grants in their window.
    func quotasInEffect() throws -> [Quota] {
        let stored = try store.quotas(tenant: nil)
        return try grants?.quotasInEffect(stored) ?? stored
    }

    private static let unconfirmed = "; the engine has not confirmed yet: "

    /// What a cancelled job says it ended by: the request recorded in its message, without the note that
    /// the engine had not confirmed it yet.
    static func requestedEnd(_ message: String?) -> String {
        (message ?? "cancel requested").components(separatedBy: unconfirmed)[0]
    }

    /// Tells the engine to cancel a job whose cancellation is committed; the job becomes `cancelled`
    /// when the engine confirms. A failed call leaves the job marked and says so in its message.
    func tellEngineCancel(_ job: Job, by who: Attribution) async throws -> Job {
        let requested = Self.requestedEnd(job.message)
        do {
            try await engine.cancel(job.id)
        } catch {
            logger.warning("engine did not confirm cancel; reconciliation retries", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
            let note = requested + Self.unconfirmed + "reconciliation retries; the job keeps its devices until then (\(error))"
            guard job.message != note else { return job }
            return try store.updateJob(job.id, action: "engine-pending", by: who) { $0.message = note }
        }
        let cancelled = try store.transitionJob(job.id, from: [.admitted, .running], to: .cancelled, by: who, message: requested) {
            $0.finishedAt = who.at
            $0.message = requested
        }
        wakeups.poke()
        // The engine's own `cancelled` event (or its end) may have been applied first.
        return try cancelled ?? store.job(job.id) ?? job
    }
}
