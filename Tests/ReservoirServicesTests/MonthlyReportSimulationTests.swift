import Foundation
import ReservoirCore
import ReservoirEngine
@testable import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// A month (and the end of the one before) of simulated work on a fast clock through the real store,
/// scheduler, simulated engine and telemetry; the report's water level and lists are then checked against
/// figures this test computes itself from the raw sessions and roll-ups the store holds.
@Suite("Monthly report over a simulated month")
struct MonthlyReportSimulationTests {
    static let november = try! ReportMonth("2026-11")

    /// Runs work from 2026-10-26 to 2026-12-01 01:00: every 3 hours up to three jobs (alpha busy at 80 % GPU,
    /// beta at 15 %), 1–4 GPUs for 1–9 hours; beta holds an unused 2-GPU grant for all of November.
    static func simulate() async throws -> World {
        let w = try World(clock: ManualClock(november.since - 6 * 86_400))
        try GrantSeed.grant(
            in: w.store, tenant: "beta", applicant: w.other.user.id, gpus: 2, startsAt: november.since, endsAt: november.until)
        let pump = await EventPump(w)
        var rng = SplitMix64(seed: 16)
        let devices = Dictionary(uniqueKeysWithValues: try w.store.inventory().nodes.flatMap(\.devices).map { ("\($0.node)#\($0.index)", $0.id) })
        while w.clock.now < november.until + 3600 {
            for _ in 0..<rng.below(4) {
                let alpha = rng.below(2) == 0
                _ = try w.submit(
                    alpha ? "busy" : "idle", gpus: [1, 2, 4][rng.below(3)], runtime: Double(1 + rng.below(9)) * 3600, by: alpha ? w.member : w.other)
            }
            try await w.reservoir.scheduling.runSchedulingCycle()
            try await settle(w)
            // Samples for the devices held now, attributed by the store to the job holding them.
            let running = try w.store.jobs(tenant: nil, states: [.running], limit: 1000)
            var samples: [DeviceSample] = []
            for job in running {
                for placement in job.placements {
                    for index in placement.deviceIndices {
                        guard let device = devices["\(placement.node)#\(index)"] else { continue }
                        let busy = job.tenant == "alpha"
                        samples.append(DeviceSample(device: device, at: (w.clock.now / 60).rounded(.down) * 60, gpuUtilPercent: busy ? 80 : 15, memoryUsedMiB: busy ? 60_000 : 8_000))
                    }
                }
            }
            if !samples.isEmpty { _ = try w.store.recordSamples(samples, devices: try w.store.telemetryDevices(Set(samples.map(\.device)))) }
            w.clock.advance(3 * 3600)
            try await settle(w)
        }
        _ = pump
        return w
    }

    /// Ticks the engine until every event that is due has been applied: nothing admitted is still waiting
    /// for its start and no running job is past its end.
    static func settle(_ w: World) async throws {
        _ = try await eventually(w, timeout: 5) {
            try w.store.jobs(tenant: nil, states: [.admitted, .running], limit: 1000).allSatisfy { job in
                guard job.state == .running, let started = job.startedAt else { return job.state == .running }
                return started + (job.runtimeSeconds ?? 0) - job.progressSeconds > w.clock.now
            }
        }
    }

    @Test("water level, queue wait, trend and lists match an independent computation from the raw sessions")
    func reportMatchesRawSessions() async throws {
        let w = try await Self.simulate()
        let month = Self.november, since = month.since, until = month.until
        let report = try w.reservoir.reports.monthly(month: month, by: w.member)
        let sessions = try w.store.usageSessions(tenant: nil, since: since - 31 * 86_400, until: until)
        #expect(!sessions.isEmpty)

        func clippedHours(_ s: UsageSession, _ from: Double, _ to: Double) -> Double {
            Double(s.gpuMilli) / 1000 * max(0, min(s.endedAt ?? w.clock.now, to) - max(s.startedAt, from)) / 3600
        }
        // Water level: 8 A100s in r1; allocated = device-hours of the month / its hours.
        let hours = sessions.reduce(0) { $0 + clippedHours($1, since, until) }
        #expect(report.complete)
        #expect(report.waterLevel.total.total == 8)
        #expect(abs(report.waterLevel.total.allocated - hours / (30 * 24)) < 0.006)
        #expect(abs(report.waterLevel.total.usedGPUHours - hours) < 0.006)
        #expect(report.waterLevel.byRegion.map(\.region) == ["r1"])
        #expect(report.waterLevel.byRegion.first?.allocated == report.waterLevel.total.allocated)
        #expect(report.waterLevel.total.allocated > 1, "the simulation kept GPUs busy: \(report.waterLevel.total)")

        // The previous month: from 2026-10-26 only, over October's 31 days.
        let october = try ReportMonth("2026-10")
        let octoberHours = sessions.reduce(0) { $0 + clippedHours($1, october.since, october.until) }
        let allocated = try #require(report.headline.first { $0.key == "allocatedGPUs" })
        #expect(abs((allocated.previous ?? -1) - octoberHours / (31 * 24)) < 0.006)

        // Queue wait: first session start − submission, for jobs whose first session started in November.
        var first: [JobID: Double] = [:]
        for s in sessions { first[s.job] = min(first[s.job] ?? .infinity, s.startedAt) }
        var waits: [Double] = []
        for (job, start) in first where start >= since && start < until { waits.append(start - (try w.job(job)).submittedAt) }
        waits.sort()
        #expect(report.queueWait.jobs == waits.count)
        #expect(report.queueWait.p50Seconds == waits[Int((0.5 * Double(waits.count)).rounded(.up)) - 1])
        #expect(report.queueWait.p95Seconds == waits[Int((0.95 * Double(waits.count)).rounded(.up)) - 1])

        // Lists: alpha (80 %) above beta (15 %), each with its own device-hours.
        var tenantHours: [String: Double] = [:]
        for s in sessions { tenantHours[s.tenant.rawValue, default: 0] += clippedHours(s, since, until) }
        #expect(report.redList.highestUtilization.map(\.subject) == ["tenant:alpha", "tenant:beta"])
        #expect(report.blackList.lowestUtilization.map(\.subject) == ["tenant:beta", "tenant:alpha"])
        for entry in report.redList.highestUtilization {
            #expect(abs(entry.usedGPUHours - tenantHours[entry.tenant]!) < 0.006)
        }
        #expect(report.redList.highestUtilization.first?.value == 80)
        #expect(report.redList.lowestUnitCost.count == 2)
        // The grant: 2 GPUs × 720 h granted, nothing run under it.
        #expect(report.blackList.largestGap.map(\.subject) == ["grant:grant-000001"])
        #expect(report.blackList.largestGap.first?.value == 1440)
        // Top applications: all alpha's (80 %) before any of beta's.
        #expect(!report.topApplications.isEmpty)
        #expect(report.topApplications.allSatisfy { $0.tenant == "alpha" && $0.gpuMeanPercent == 80 })
        #expect(report.utilization.daily.count == 30)

        // The same data, the same bytes.
        let again = try w.reservoir.reports.monthly(month: month, by: w.other)
        #expect(MonthlyReportHTML.render(report) == MonthlyReportHTML.render(again))
        #expect(MonthlyReportMarkdown.render(report) == MonthlyReportMarkdown.render(again))
    }

    @Test("a month not yet begun is a 400 naming month")
    func futureMonth() throws {
        let w = try World(clock: ManualClock(Self.november.since + 3600))
        let error = #expect(throws: ReservoirError.self) { try w.reservoir.reports.monthly(month: try ReportMonth("2026-12"), by: w.member) }
        #expect(error?.field == "month")
        #expect(error?.code == .invalidArgument)
        #expect(throws: ReservoirError.self) { try ReportMonth("2026-13") }
    }
}
