import Foundation
import ReservoirCore
import Testing

/// The pure rules behind idle reclamation and the L1 review: both daily peaks below their thresholds on
/// every day of the window; a monthly recommendation with its rule in words; report months.
@Suite struct IdleReclamationRulesTests {
    let check = IdleCheck(utilizationBelowPercent: 20, memoryBelowPercent: 20, windowDays: 30)
    let day = 86_400.0

    func days(_ count: Int, from start: Double, util: Double = 5, memory: Double = 0.1) -> [UtilizationPoint] {
        (0..<count).map {
            UtilizationPoint(
                at: start + Double($0) * day, gpuUtilMean: util / 2, gpuUtilMax: util, memoryUsedMiBMean: 0, memoryFractionMean: memory / 2,
                memoryFractionMax: memory, devices: 1, samples: 24)
        }
    }

    @Test func aMonthOfLowPeaksIsIdle() {
        let window = check.window(endingBefore: 100 * day + 3_600)
        #expect(window == (70 * day, 100 * day))
        let verdict = check.judge(daily: days(30, from: window.since), since: window.since, until: window.until)
        #expect(verdict.idle && verdict.daysReported == 30 && verdict.peakUtilization == 5)
    }

    @Test func oneBusyDayOrOneHighMemoryDayIsNotIdle() {
        var points = days(30, from: 0)
        points[12].gpuUtilMax = 20
        #expect(!check.judge(daily: points, since: 0, until: 30 * day).idle)
        points = days(30, from: 0)
        points[29].memoryFractionMax = 0.25
        let verdict = check.judge(daily: points, since: 0, until: 30 * day)
        #expect(!verdict.idle && verdict.peakMemory == 25)
    }

    @Test func missingDaysProveNothing() {
        let verdict = check.judge(daily: days(29, from: day), since: 0, until: 30 * day)
        #expect(!verdict.idle && verdict.daysReported == 29)
        #expect(!check.judge(daily: [], since: 0, until: 30 * day).idle)
    }

    @Test func confirmationAllowsReclamationAfterReleaseOrDeadline() {
        var confirmation = IdleConfirmation(askedAt: 0, askedBy: "user:ops", deadline: 100, verdict: check.judge(daily: [], since: 0, until: 1))
        #expect(!confirmation.allowsReclamation(at: 99))
        #expect(confirmation.allowsReclamation(at: 100))
        confirmation.answer = .release
        #expect(confirmation.allowsReclamation(at: 1))
        confirmation.answer = .keep
        #expect(!confirmation.allowsReclamation(at: 1))
    }

    @Test func l1Recommendations() {
        let rule = L1ReviewRule(idleBelow: 20)
        #expect(rule.recommend(peak: nil, mean: nil, used: 0, estimated: 100).0 == .reclaim)
        #expect(rule.recommend(peak: 15, mean: 10, used: 10, estimated: 100).0 == .reclaim)
        let (over, why) = rule.recommend(peak: 90, mean: 80, used: 120, estimated: 100)
        #expect(over == .shrink && why.contains("120 of 100"))
        #expect(rule.recommend(peak: 90, mean: 30, used: 10, estimated: 100).0 == .shrink)
        #expect(rule.recommend(peak: 95, mean: 70, used: 10, estimated: nil).0 == .keep)
    }

    @Test func reportMonths() throws {
        let november = try ReportMonth("2026-11")
        #expect(november.since == 1_793_491_200 && november.until == 1_796_083_200 && november.description == "2026-11")
        #expect(try ReportMonth("2026-12").until == 1_798_761_600)
        #expect(ReportMonth(containing: november.since + 5).description == "2026-11")
        for bad in ["2026-13", "2026-1", "26-11", "2026/11", "", "2026-11-01"] {
            #expect(throws: ReservoirError.self) { try ReportMonth(bad) }
        }
    }
}
