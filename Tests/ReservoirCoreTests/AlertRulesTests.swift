import Foundation
import ReservoirCore
import Testing

/// The built-in rules and their state machine, on plain inputs: each rule fires and resolves, a rule
/// with `for` waits it out, a pending alert that clears is dropped, a subject that vanishes resolves.
@Suite("Alert rules: pending → firing → resolved")
struct AlertRulesTests {
    static let t0 = 1_790_000_000.0
    let settings = AlertSettings()

    static func pool(allocated: Double = 5, of gpus: Double = 10, wait: Double? = nil, gpu: Double? = nil, memory: Double = 50) -> AlertInputs {
        AlertInputs(
            pools: [PoolReading(
                pool: "p1", gpus: gpus, allocatedGPUs: allocated, oldestQueuedWaitSeconds: wait,
                utilization: gpu.map { WindowUtilization(gpuPercent: $0, memoryPercent: memory) })],
            tenants: [])
    }

    /// Runs passes at the given offsets from t0 over the given inputs, carrying the open alerts as the store would.
    struct Run {
        var open: [Alert] = []
        var log: [AlertChange] = []
        let settings: AlertSettings

        mutating func pass(_ inputs: AlertInputs, at offset: Double) -> [AlertChange] {
            let changes = AlertEvaluator.step(open: open, observations: inputs.observations(settings), settings: settings, now: AlertRulesTests.t0 + offset)
            for change in changes {
                open.removeAll { $0.id == change.alert.id }
                if case .dropped = change { continue }
                if change.alert.state != .resolved { open.append(change.alert) }
            }
            log += changes
            return changes
        }

        func firing(_ rule: AlertRule) -> Alert? { open.first { $0.rule == rule && $0.state == .firing } }
        func pending(_ rule: AlertRule) -> Alert? { open.first { $0.rule == rule && $0.state == .pending } }
    }

    @Test("pool saturated: above 90 % pending at once, not firing after 4 minutes, firing at 5, resolved when it falls back; one notice each")
    func saturationWaitsFiveMinutes() throws {
        var run = Run(settings: settings)
        let full = Self.pool(allocated: 9.5)
        #expect(run.pass(full, at: 0).map(\.alert.state) == [.pending])
        #expect(run.pass(full, at: 240).isEmpty && run.pending(.poolSaturated) != nil && run.firing(.poolSaturated) == nil)
        let fired = try #require(run.pass(full, at: 300).first)
        guard case .fired(let alert) = fired else { Issue.record("\(fired)"); return }
        #expect(alert.state == .firing && alert.firedAt == Self.t0 + 300 && alert.since == Self.t0 && alert.severity == .critical)
        #expect(alert.subject == "pool:p1" && alert.summary.contains("95 %") && alert.summary.contains("above 90 %"))
        #expect(run.pass(full, at: 360).isEmpty)
        let resolved = run.pass(Self.pool(allocated: 6), at: 420)
        #expect(resolved.count == 1 && resolved[0].alert.state == .resolved && resolved[0].alert.resolvedAt == Self.t0 + 420)
        #expect(run.open.isEmpty)
        let notices = run.log.filter(\.isAnnounced).compactMap { OutboxNotification.alert($0.alert) }
        #expect(notices.map(\.id) == ["alert-pool-saturated-pool:p1-\(Int(Self.t0))-firing", "alert-pool-saturated-pool:p1-\(Int(Self.t0))-resolved"])
        #expect(notices.map(\.topic) == ["alert.firing", "alert.resolved"] && notices.allSatisfy { $0.recipient == .role(.operator_) })
    }

    @Test("a saturation that eases after 4 minutes never fires: the pending alert is dropped, nothing announced")
    func pendingClearedIsDropped() {
        var run = Run(settings: settings)
        _ = run.pass(Self.pool(allocated: 10), at: 0)
        _ = run.pass(Self.pool(allocated: 10), at: 240)
        let changes = run.pass(Self.pool(allocated: 8), at: 270)
        guard case .dropped = changes.first else { Issue.record("\(changes)"); return }
        #expect(run.open.isEmpty && !run.log.contains(where: \.isAnnounced))
    }

    @Test("pool underused: below 50 % for the hour (info), then resolved above it")
    func underuse() throws {
        var run = Run(settings: settings)
        _ = run.pass(Self.pool(allocated: 4), at: 0)
        #expect(run.pass(Self.pool(allocated: 4), at: 3_599).isEmpty)
        _ = run.pass(Self.pool(allocated: 4), at: 3_600)
        let alert = try #require(run.firing(.poolUnderused))
        #expect(alert.severity == .info && alert.summary.contains("scheduling policy"))
        #expect(run.pass(Self.pool(allocated: 5), at: 3_660).first?.alert.state == .resolved)
    }

    @Test("queue wait: over an hour fires at once (warning: scale out or change quotas), resolves when the queue drains")
    func queueWait() throws {
        var run = Run(settings: settings)
        #expect(run.pass(Self.pool(wait: 3_600), at: 0).isEmpty)
        _ = run.pass(Self.pool(wait: 3_601), at: 60)
        let alert = try #require(run.firing(.queueWait))
        #expect(alert.severity == .warning && alert.summary.contains("scale out or change quotas") && alert.summary.contains("60 min"))
        #expect(run.pass(Self.pool(wait: nil), at: 120).first?.alert.state == .resolved)
    }

    @Test("low efficiency (yellow) when the window's GPU and memory utilization are both below 20 %; capacity risk (orange) when either is above 80 %")
    func efficiency() throws {
        var run = Run(settings: settings)
        _ = run.pass(Self.pool(gpu: 12, memory: 15), at: 0)
        #expect(try #require(run.firing(.lowEfficiency)).severity == .yellow && run.firing(.capacityRisk) == nil)
        // Memory-bound work is not wasteful: one busy resource ends the low-efficiency alert.
        #expect(run.pass(Self.pool(gpu: 12, memory: 45), at: 60).map(\.alert.state) == [.resolved])
        _ = run.pass(Self.pool(gpu: 30, memory: 85), at: 120)
        #expect(try #require(run.firing(.capacityRisk)).severity == .orange)
        #expect(run.pass(Self.pool(gpu: 30, memory: 80), at: 180).map(\.alert.state) == [.resolved])
        // No telemetry in the window is no alarm.
        #expect(run.pass(Self.pool(), at: 240).isEmpty)
    }

    @Test("tenants get the efficiency rules; a subject that disappears resolves its firing alert")
    func tenantsAndVanishing() throws {
        var run = Run(settings: settings)
        let idle = AlertInputs(pools: [], tenants: [TenantReading(tenant: "nlp", utilization: WindowUtilization(gpuPercent: 5, memoryPercent: 10))])
        _ = run.pass(idle, at: 0)
        #expect(try #require(run.firing(.lowEfficiency)).subject == "tenant:nlp")
        #expect(run.pass(AlertInputs(pools: [], tenants: []), at: 60).map(\.alert.state) == [.resolved])
    }

    @Test("zero balance: a tenant with a prepaid account at or below zero (warning); none without an account; resolved by a top-up")
    func zeroBalance() throws {
        var run = Run(settings: settings)
        func tenant(_ balance: Money?) -> AlertInputs { AlertInputs(pools: [], tenants: [TenantReading(tenant: "nlp", utilization: nil, balance: balance)]) }
        #expect(run.pass(tenant(nil), at: 0).isEmpty && run.pass(tenant(Money("0.01")), at: 60).isEmpty)
        _ = run.pass(tenant(Money("-12.30")), at: 120)
        let alert = try #require(run.firing(.zeroBalance))
        #expect(alert.severity == .warning && alert.subject == "tenant:nlp" && alert.summary.hasPrefix("tenant:nlp: -12.30, at or below 0.00"), "\(alert.summary)")
        #expect(run.pass(tenant(Money("500.00")), at: 180).map(\.alert.state) == [.resolved])
        _ = run.pass(tenant(.zero), at: 240)
        #expect(run.firing(.zeroBalance) != nil)
    }

    @Test("thresholds are settings; the Alertmanager body carries labels, start and end")
    func settingsAndBody() throws {
        var settings = AlertSettings()
        settings.saturationAbovePercent = 70
        settings.saturationForSeconds = 0
        var run = Run(settings: settings)
        _ = run.pass(Self.pool(allocated: 7.5), at: 0)
        _ = run.pass(Self.pool(allocated: 5), at: 90)
        let resolved = try #require(run.log.last?.alert)
        let notice = try #require(OutboxNotification.alert(resolved))
        let body = try JSONDecoder().decode(AlertNoticeBody.self, from: Data(notice.body.utf8))
        #expect(body.alertname == "ReservoirPoolSaturated" && body.severity == .critical && body.subject == "pool:p1")
        #expect(body.startsAt == InstantText.iso(Self.t0) && body.endsAt == InstantText.iso(Self.t0 + 90))
        #expect(WindowUtilization([]) == nil)
    }
}
