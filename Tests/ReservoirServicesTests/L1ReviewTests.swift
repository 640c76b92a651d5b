import Foundation
import ReservoirCore
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// The monthly L1 review lists the L1 grants in effect during the month (not L2 ones, not ones that
/// began after it), each with a recommendation and its rule; members see their own tenant's.
@Suite("L1 monthly review")
struct L1ReviewTests {
    @Test("November's L1 grants only, with the rule; tenant scope; a bad month is a 400 naming it")
    func novemberReview() throws {
        let november = try ReportMonth("2026-11")
        let w = try World(clock: ManualClock(november.until + 5 * 86_400))
        let day = 86_400.0
        try GrantSeed.grant(in: w.store, number: 1, tenant: "alpha", applicant: "alice", gpus: 4, category: .largeModel, startsAt: november.since + 9 * day, endsAt: nil)
        try GrantSeed.grant(in: w.store, number: 2, tenant: "alpha", applicant: "alice", gpus: 2, startsAt: november.since + 4 * day, endsAt: november.since + 11 * day)
        try GrantSeed.grant(in: w.store, number: 3, tenant: "beta", applicant: "bob", gpus: 4, category: .largeModel, startsAt: november.until + day, endsAt: nil)

        let report = try w.reservoir.l1Review.review(month: "2026-11", tenant: nil, by: World.operatorPrincipal)
        #expect(report.month == "2026-11" && report.rule.contains("reclaim when"))
        #expect(report.grants.map(\.grant) == ["grant-000001"], "\(report.grants)")
        let row = try #require(report.grants.first)
        #expect(row.recommendation == .reclaim && row.why.contains("no utilization") && row.usedGPUHours == 0 && row.gpuMilli == 4_000, "\(row)")
        #expect(try w.reservoir.l1Review.review(month: "2026-12", tenant: nil, by: World.operatorPrincipal).grants.map(\.grant) == ["grant-000001", "grant-000003"])

        #expect(try w.reservoir.l1Review.review(month: "2026-12", tenant: nil, by: w.other).grants.map(\.grant) == ["grant-000003"])
        #expect(throws: ReservoirError.self) { try w.reservoir.l1Review.review(month: "2026-12", tenant: "alpha", by: w.other) }
        do {
            _ = try w.reservoir.l1Review.review(month: "November", tenant: nil, by: World.operatorPrincipal)
            Issue.record("a bad month was accepted")
        } catch let error as ReservoirError {
            #expect(error.field == "month")
        }
    }
}
