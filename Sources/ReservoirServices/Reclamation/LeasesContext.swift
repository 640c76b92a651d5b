import Foundation
import ReservoirCore
import ReservoirStore

/// Leases (SPEC §5.7): a grant with a fixed term warns its owner before its end (`leases.noticeDays`),
/// may be extended for a reason before it ends (decided by operators against the queue waiting for the
/// capacity), and is reclaimed at its end by the lease pass (`Reservoir.leasePass`, run by
/// `GrantExpiryService`). Notices are recorded on the grant (`Grant.noticesSent`) in the transaction
/// that queues them, so a restart never sends one twice.
public struct LeasesContext: ApplicationContext {
    public typealias Store = RequestStore & JobReader
    let store: any Store
    public let runtime: Runtime

    init(store: any Store, runtime: Runtime) {
        self.store = store
        self.runtime = runtime
    }

    var schedule: LeaseNoticeSchedule { LeaseNoticeSchedule(days: configuration.leases.noticeDays) }

    // MARK: - Notices

    /// Queues every lease notice due now (one per grant; notices due together collapse into the most
    /// urgent). Returns the notices queued.
    @discardableResult
    public func sendDueNotices() throws -> [OutboxNotification] {
        let now = clock()
        var sent: [OutboxNotification] = []
        for grant in try store.activeGrants() {
            guard let endsAt = grant.endsAt, now < endsAt, schedule.due(endsAt: endsAt, done: done(grant), now: now) != nil else { continue }
            var queued: [OutboxNotification] = []
            try store.updateGrant(grant.id, action: "lease-notice", by: system("leases")) { grant, request in
                guard grant.state == .active, let endsAt = grant.endsAt, let due = schedule.due(endsAt: endsAt, done: done(grant), now: now) else { return [] }
                grant.noticesSent = done(grant) + due.covers
                queued = [notice(grant, request: request, days: due.send, endsAt: endsAt, at: now)]
                return queued
            }
            sent += queued
        }
        if !sent.isEmpty { notificationWakeups.poke() }
        return sent
    }

    /// Active grants whose window has ended: what the lease pass reclaims.
    public func endedLeases() throws -> [Grant] {
        let now = clock()
        return try store.activeGrants().filter { $0.endsAt.map { now >= $0 } ?? false }
    }

    /// Seconds until the next lease notice falls due, at most `limit`.
    func secondsUntilNextNotice(atMost limit: Double) -> Double {
        let now = clock()
        let next = (try? store.activeGrants())?.compactMap { grant in grant.endsAt.flatMap { schedule.next(endsAt: $0, done: done(grant)) } }.min()
        return next.map { min(limit, max(1, $0 - now)) } ?? limit
    }

    /// Notices sent or skipped so far; never armed yet: those already past when the grant was made.
    func done(_ grant: Grant) -> [Int] {
        grant.noticesSent ?? grant.endsAt.map { schedule.skipped(endsAt: $0, armedAt: grant.createdAt) } ?? []
    }

    private func notice(_ grant: Grant, request: AllocationRequest, days: Int, endsAt: Double, at now: Double) -> OutboxNotification {
        let body = LeaseNoticeBody(grant: grant.id, tenant: grant.tenant, endsAt: endsAt, daysBefore: days, gpuMilli: grant.gpuMilli, pool: grant.pool)
        let text = OutboxNotification.body(body)
        return OutboxNotification(
            id: "lease-\(grant.id)-\(Int(endsAt))-\(days)d", recipient: .user(request.applicant), topic: "lease.notice",
            subject: "grant \(grant.id) (\(grant.gpuMilli / 1_000) GPUs on \(grant.pool)) ends at \(InstantText.iso(endsAt)), in about \(Self.left(endsAt - now)): it is reclaimed then (running jobs get their checkpoint grace period); ask for an extension before with `reservoir grant extend \(grant.id) --days N --reason ...`, or return it with `reservoir grant return \(grant.id)`",
            body: text, createdAt: now)
    }

    static func left(_ seconds: Double) -> String {
        seconds >= LeaseNoticeSchedule.day ? "\(Int((seconds / LeaseNoticeSchedule.day).rounded())) days" : "\(Int((seconds / 3_600).rounded())) hours"
    }
}

/// The details of a lease notice (its outbox body).
struct LeaseNoticeBody: Codable {
    var grant: GrantID
    var tenant: TenantID
    var endsAt: Double
    var daysBefore: Int
    var gpuMilli: Int
    var pool: PoolID
}

