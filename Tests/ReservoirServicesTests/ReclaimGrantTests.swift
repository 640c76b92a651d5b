import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// `ReclamationsContext.reclaimGrant` on a manual clock: the grant's waiting work is cancelled at once,
/// its running work is evicted by the scheduler with the checkpoint grace and then ends (not requeued),
/// the quota falls back, one record; a second call, or one after a crash, does nothing twice.
@Suite("Reclaiming a grant: jobs stopped through the scheduler, one record")
struct ReclaimGrantTests {
    /// Alpha's 4-GPU A100 grant in p1 for one hour from now.
    private func granted(_ w: World, number: Int64 = 1) throws -> Grant {
        try GrantSeed.grant(in: w.store, number: number, tenant: "alpha", applicant: "alice", gpus: 4, startsAt: w.clock.now, endsAt: w.clock.now + 3600)
    }

    private func submit(_ w: World, _ name: String, under grant: GrantID, gpus: Int) throws -> Job {
        let json = try JSONSerialization.data(withJSONObject: ["name": name, "grant": grant.rawValue, "runtimeSeconds": 86_400, "request": ["gpus": gpus]])
        return try w.reservoir.jobs.submit(try JSONDecoder().decode(JobSubmission.self, from: json), by: w.member)
    }

    @Test("waiting work is cancelled at once; running work gets its grace through the scheduler's eviction, then ends; done once")
    func stopsJobsOnce() async throws {
        let w = try World()
        let pump = await EventPump(w)
        let grant = try granted(w)
        let running = try submit(w, "running", under: grant.id, gpus: 2)
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try await eventually(w) { try w.job(running.id).state == .running })
        let waiting = try submit(w, "waiting", under: grant.id, gpus: 2)
        w.clock.advance(1800)

        let record = try #require(try w.reservoir.reclamations.reclaimGrant(
            grant.id, reason: .forced, actor: "user:admin", approvedBy: "OPS-1", note: "capacity for an outage"))
        #expect(record.id == "recl-grant-\(grant.id)-1" && record.kind == .grant && record.tenant == "alpha" && record.approvedBy == "OPS-1")
        #expect(record.jobs == [running.id, waiting.id].sorted())
        #expect(record.freedGPUHours == 2, "4 GPUs × the half hour left")
        #expect(try w.job(waiting.id).state == .cancelled, "waiting work is cancelled at once")
        #expect(try w.job(running.id).state == .running && w.job(running.id).pendingEngineCall == .stop, "running work is left to the scheduler")
        #expect(try w.store.grant(grant.id)?.state == .reclaimed && w.store.request(grant.request)?.state == .reclaimed)
        #expect(try w.reservoir.grants.quotasInEffect(w.store.quotas(tenant: "alpha")).first?.limitMilli == 8000, "the raise is gone")

        // The scheduler evicts it with the grace period; it ends when the engine reports it checkpointed.
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try w.job(running.id).evictionRequestedAt == w.clock.now)
        w.clock.advance(10)
        await w.engine.poll()
        #expect(try w.job(running.id).state == .running, "still checkpointing inside its grace")
        w.clock.advance(30)
        #expect(try await eventually(w) { try w.job(running.id).state == .cancelled })
        #expect(try w.store.events(job: running.id).contains { $0.kind == "preempted" } == false, "ended, never requeued")
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try w.job(running.id).state == .cancelled)

        // Again (a pass retried, a restart): nothing is written twice.
        let notices = try w.store.notifications(for: nil, page: PageRequest()).items.count
        #expect(try w.reservoir.reclamations.reclaimGrant(grant.id, reason: .forced, actor: "user:admin", approvedBy: "OPS-1", note: "again") == nil)
        #expect(try w.store.notifications(for: nil, page: PageRequest()).items.count == notices)
        #expect(try w.store.auditEntries(object: "grants/\(grant.id)", tenant: nil, limit: 20).filter { $0.action.hasPrefix("reclamation.") }.count == 1)
        withExtendedLifetime(pump) {}
    }

    @Test("a lease's expiry completes the reclamation of a grant the expiry pass ended; forced needs an approval; an ended grant is not taken back")
    func expiryAndRefusals() throws {
        let w = try World()
        let grant = try granted(w)
        #expect(throws: ReservoirError.self) {
            try w.reservoir.reclamations.reclaimGrant(grant.id, reason: .forced, actor: "user:admin", approvedBy: " ", note: "no ticket")
        }
        #expect(try w.store.grant(grant.id)?.state == .active)
        w.clock.advance(3600)
        _ = try w.reservoir.grants.expireEnded()
        let record = try #require(try w.reservoir.reclamations.reclaimGrant(grant.id, reason: .expiry, actor: "system:leases", approvedBy: nil, note: "lease ended"))
        #expect(record.reason == .expiry && record.freedGPUHours == 0 && record.actor == "system:leases")
        #expect(try w.store.grant(grant.id)?.state == .expired && w.store.request(grant.request)?.state == .expired)
        #expect(try w.store.notifications(for: nil, page: PageRequest()).items.contains { $0.id == "\(record.id)-applicant" }, "the owner hears of it")
        #expect(try w.reservoir.reclamations.reclaimGrant(grant.id, reason: .expiry, actor: "system:leases", approvedBy: nil, note: "again") == nil)

        let other = try granted(w, number: 2)
        w.clock.advance(3600)
        _ = try w.reservoir.grants.expireEnded()
        do {
            try w.reservoir.reclamations.reclaimGrant(other.id, reason: .voluntary, actor: "user:alice", approvedBy: nil, note: "late")
            Issue.record("an expired grant cannot be returned")
        } catch let error as ReservoirError {
            #expect(error.code == .conflict && error.field == "state")
        }
        #expect(throws: ReservoirError.self) { try w.reservoir.reclamations.reclaimGrant("grant-999999", reason: .idle, actor: "system:idle", approvedBy: nil, note: "x") }
    }

    @Test("after a restart the stop is finished: not told yet, the next cycle evicts it; told and unconfirmed past its grace, reconciliation ends it")
    func stopSurvivesARestart() async throws {
        let w = try World()
        let pump = await EventPump(w)
        let grant = try granted(w)
        let job = try submit(w, "running", under: grant.id, gpus: 2)
        try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try await eventually(w) { try w.job(job.id).state == .running })
        try w.reservoir.reclamations.reclaimGrant(grant.id, reason: .voluntary, actor: "user:alice", approvedBy: nil, note: "done early")

        // Killed before the scheduler told the engine: reconciliation leaves it to the cycle, which evicts it with its grace.
        let restarted = try w.restarted()
        try await restarted.reservoir.scheduling.reconcile()
        #expect(try w.job(job.id).state == .running && w.job(job.id).evictionRequestedAt == nil)
        try await restarted.reservoir.scheduling.runSchedulingCycle()
        #expect(try w.job(job.id).evictionRequestedAt == w.clock.now)

        // Killed again; the engine never confirms: inside the grace it waits, past it the job is ended.
        let again = try restarted.restarted()
        try await again.reservoir.scheduling.reconcile()
        #expect(try w.job(job.id).state == .running)
        w.clock.advance(31)
        try await again.reservoir.scheduling.reconcile()
        #expect(try w.job(job.id).state == .cancelled)
        withExtendedLifetime(pump) {}
    }
}
