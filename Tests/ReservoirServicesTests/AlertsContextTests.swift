import Foundation
import ReservoirCore
@testable import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// The alert pass over the real store and scheduler on a manual clock: a full pool fires after five
/// minutes (not at four), resolves when it empties, its notices reach the outbox once — across a
/// restart too —, the history lists it, and a job queued over an hour raises the queue alert.
@Suite("Alerts context: pass, history, outbox once")
struct AlertsContextTests {
    static let t0 = 1_790_000_000.0

    func alertNotices(_ w: World) throws -> [OutboxNotification] {
        try w.store.notifications(for: nil, page: PageRequest(limit: 1000)).items.filter { $0.topic.hasPrefix("alert.") }
    }

    @Test("a saturated pool: pending at 0, still pending at 4 min, firing at 5, resolved after the jobs end; one notice each, none again after a restart")
    func saturationFiresAndResolves() async throws {
        let w = try World(clock: ManualClock(Self.t0))
        var jobs: [Job] = []
        for i in 0..<8 { jobs.append(try w.submit("fill-\(i)", runtime: 86_400)) }
        _ = try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try w.store.jobs(tenant: nil, states: [.admitted, .running], limit: 100).count == 8)

        let first = try w.reservoir.alerts.pass()
        #expect(first.map(\.alert.rule) == [.poolSaturated] && first.first?.alert.state == .pending, "\(first)")
        w.clock.advance(240)
        #expect(try w.reservoir.alerts.pass().isEmpty)
        #expect(try alertNotices(w).isEmpty)
        w.clock.advance(60)
        let fired = try w.reservoir.alerts.pass()
        #expect(fired.map(\.alert.state) == [.firing])
        #expect(try alertNotices(w).map(\.topic) == ["alert.firing"])
        #expect(try w.reservoir.alerts.alerts(state: .firing, since: nil, page: PageRequest(limit: 10), by: World.operatorPrincipal).items.map(\.rule) == [.poolSaturated])

        // A restart between passes: the state is in the store, nothing is announced again.
        let again = try w.restarted()
        #expect(try again.reservoir.alerts.pass().isEmpty)
        for job in jobs { _ = try await again.reservoir.jobs.cancel(job.id, by: World.operatorPrincipal) }
        w.clock.advance(60)
        let resolved = try again.reservoir.alerts.pass()
        #expect(resolved.map(\.alert.rule).sorted { $0.rawValue < $1.rawValue } == [.poolSaturated, .poolUnderused], "\(resolved)")
        #expect(resolved.first { $0.alert.rule == .poolSaturated }?.alert.state == .resolved)
        _ = try again.reservoir.alerts.pass()
        let notices = try alertNotices(w)
        #expect(notices.map(\.topic).sorted() == ["alert.firing", "alert.resolved"])
        #expect(Set(notices.map(\.id)).count == 2)

        let history = try w.reservoir.alerts.alerts(state: .resolved, since: Self.t0, page: PageRequest(limit: 10), by: World.operatorPrincipal).items
        #expect(history.count == 1 && history[0].firedAt == Self.t0 + 300 && history[0].resolvedAt == Self.t0 + 360)
        #expect(try w.reservoir.alerts.alerts(state: nil, since: Self.t0 + 400, page: PageRequest(limit: 10), by: World.operatorPrincipal).items.map(\.rule) == [.poolUnderused])
        #expect(throws: ReservoirError.self) { try w.reservoir.alerts.alerts(state: nil, since: nil, page: PageRequest(limit: 10), by: w.member) }
    }

    @Test("a job queued over an hour raises the queue alert (warning) for its pool; the audit log records it")
    func queueWait() async throws {
        let w = try World(clock: ManualClock(Self.t0))
        for i in 0..<9 { _ = try w.submit("job-\(i)", runtime: 86_400) }  // the ninth is over the tenant's limit: it waits
        _ = try await w.reservoir.scheduling.runSchedulingCycle()
        #expect(try w.reservoir.alerts.pass().allSatisfy { $0.alert.rule != .queueWait })
        w.clock.advance(3_601)
        let changes = try w.reservoir.alerts.pass()
        let alert = try #require(changes.first { $0.alert.rule == .queueWait }?.alert)
        #expect(alert.state == .firing && alert.subject == "pool:p1" && alert.severity == .warning)
        #expect(try w.store.auditEntries(object: "alerts/\(alert.id)", tenant: nil, since: nil, limit: 10).map(\.action) == ["alert.fired"])
    }

    @Test("the billing context's balances feed the zero-balance rule; tenants without an account are not alarmed")
    func zeroBalanceFromBilling() throws {
        let w = try World(clock: ManualClock(Self.t0))
        var alerts = w.reservoir.alerts
        alerts.balances = { ["alpha": try #require(Money("-3.50"))] }
        let changes = try alerts.pass().filter { $0.alert.rule == .zeroBalance }
        #expect(changes.map(\.alert.subject) == ["tenant:alpha"] && changes.first?.alert.state == .firing, "\(changes)")
        #expect(try alertNotices(w).contains { $0.subject.contains("tenant:alpha: -3.50") })
    }

    @Test("wired in Reservoir: a prepaid tenant used beyond its credit fires zero balance on the next pass, a top-up resolves it; no account, no alert")
    func zeroBalanceWiredToInvoices() throws {
        let w = try World(clock: ManualClock(1_796_428_800))  // 2026-12-05T00:00:00Z
        let finance = Principal(user: User(id: "fin", roles: [.finance]))
        func balance() throws -> Money { try #require(try w.reservoir.invoices.balances(tenant: "alpha", by: finance).items.first).balance }
        func zeroBalance(_ changes: [AlertChange]) -> [Alert] { changes.map(\.alert).filter { $0.rule == .zeroBalance } }

        // Credit alpha so that 5.00 is left of what December has cost it so far.
        _ = try w.reservoir.invoices.addCredit(tenant: "alpha", amount: Money("5.00")! - (try balance()), note: "PO-1", by: finance)
        #expect(try balance() == Money("5.00")!)
        #expect(zeroBalance(try w.reservoir.alerts.pass()).isEmpty)

        // Four hours on four A100s: more than 5.00.
        var job = Job(id: "j", name: "run", tenant: "alpha", submittedBy: "alice", pool: "p1", request: ResourceRequest(gpus: 4), preemptible: false)
        job.state = .succeeded
        job.startedAt = w.clock.now
        w.clock.advance(4 * 3600)
        job.finishedAt = w.clock.now
        try w.store.insertHistory([(job: job, model: "A100-80GB")], by: Attribution(actor: "test", at: w.clock.now))
        let left = try balance()
        #expect(left < .zero)

        let fired = zeroBalance(try w.reservoir.alerts.pass())
        #expect(fired.map(\.subject) == ["tenant:alpha"] && fired.first?.state == .firing && fired.first?.value == left.gaugeValue, "beta has no account: \(fired)")
        _ = try w.reservoir.invoices.addCredit(tenant: "alpha", amount: Money("1000.00")!, note: "PO-2", by: finance)
        let resolved = zeroBalance(try w.reservoir.alerts.pass())
        #expect(resolved.map(\.subject) == ["tenant:alpha"] && resolved.first?.state == .resolved, "\(resolved)")
    }
}
