import Foundation
import Testing
@testable import ReservoirForecasting

/// Capacity and what-if plans on a small reservoir whose answers were worked out by hand.
@Suite struct PlanningTests {
    static let h100Terms = SupplyTerms(purchaseLeadHours: 720, purchasePricePerGPU: 25_000, rentLeadHours: 48, rentPricePerGPUHour: 2.8)

    static func flat(_ v: Double, hours: Int, spread: Double = 10) -> Forecast {
        Forecast(mean: .init(repeating: v, count: hours), lower80: .init(repeating: v - spread, count: hours),
                 upper80: .init(repeating: v + spread, count: hours))
    }

    @Test func sustainedHighUtilisationTooLateToBuyRentsThenBuys() throws {
        // 90 of 100 GPUs busy from now on; threshold 70 %, buffer 10 % → hold ceil(90·1.1/0.7) = 142, add 42.
        // Needed at hour 0, purchase lead 720 h → rent 42 from hour 48 until 720: 672 h · 42 · 2.8.
        let demand = CapacityDemand(model: "H100-80GB", installed: 100, forecast: Self.flat(90, hours: 336))
        let rec = try #require(try CapacityPlanner.plan([demand], supply: ["H100-80GB": Self.h100Terms],
                                                        policy: CapacityPolicy(expansionThreshold: 0.7, buffer: 0.1)).first)
        #expect(rec.action == .rentThenBuy)
        #expect(rec.gpus == 42)
        #expect(rec.gpusLower80 == 26 && rec.gpusUpper80 == 58)   // ceil(80·1.1/0.7) = 126, ceil(100·1.1/0.7) = 158
        #expect(rec.neededByHours == 0)
        #expect(rec.orderByHours == -720)
        #expect(rec.rentHours == 672)
        #expect(abs(rec.rentCost - 42 * 672 * 2.8) < 1e-9)
        #expect(rec.purchaseCost == 42 * 25_000)
    }

    @Test func lateBreachIsBoughtInTime() throws {
        // 50 GPUs for 1,000 h, then 80: the first 24 h window averaging ≥ 70 of 100 holds 16 hours at 80
        // ((8·50 + 16·80)/24 = 70), so it starts at 992; its first hour at ≥ 70 is 1,000; order by 1,000 − 720.
        let mean = [Double](repeating: 50, count: 1_000) + [Double](repeating: 80, count: 200)
        let f = Forecast(mean: mean, lower80: mean, upper80: mean)
        let rec = try CapacityPlanner.plan(CapacityDemand(model: "H100-80GB", installed: 100, forecast: f), terms: Self.h100Terms,
                                           policy: CapacityPolicy(expansionThreshold: 0.7, buffer: 0.1))
        #expect(rec.neededByHours == 1_000)
        #expect(rec.action == .buy)
        #expect(rec.gpus == 26)   // ceil(80·1.1/0.7) = 126
        #expect(rec.orderByHours == 280)
        #expect(rec.rentGPUs == 0)
    }

    @Test func lowUtilisationNeedsNothing() throws {
        let rec = try CapacityPlanner.plan(CapacityDemand(model: "H100-80GB", installed: 100, forecast: Self.flat(40, hours: 168)),
                                           terms: Self.h100Terms, policy: CapacityPolicy())
        #expect(rec.action == .none && rec.gpus == 0 && rec.neededByHours == nil)
    }

    @Test func policyOutsideTheAllowedRangesIsRejected() {
        #expect(throws: ForecastError.self) {
            try CapacityPlanner.plan([], supply: [:], policy: CapacityPolicy(expansionThreshold: 0.9))
        }
        #expect(throws: ForecastError.self) { try CapacityPlanner.plan([], supply: [:], policy: CapacityPolicy(buffer: 0.3)) }
    }

    @Test func multiYearPlanRaisesUtilisationTargets() throws {
        // 100 GPUs of demand growing 50 %/year, 150 installed: 150/0.6 = 250 (+100), 225/0.7 → 322 (+72), 337.5/0.8 → 422 (+100).
        let plan = try MultiYearPlanner.plan(MultiYearPlanInput(model: "H100-80GB", installed: 150, currentDemand: 100, annualGrowth: 0.5,
                                                                purchasePricePerGPU: 25_000))
        #expect(plan.map(\.capacity) == [250, 322, 422])
        #expect(plan.map(\.purchase) == [100, 72, 100])
        #expect(plan.map(\.utilizationTarget) == [0.6, 0.7, 0.8])
        #expect(plan[1].capex == 72 * 25_000)
    }

    @Test func growthRateFromDailyHistory() throws {
        // Demand doubling every 365 days.
        let daily = (0..<60).map { 100 * pow(2, Double($0) / 365) }
        #expect(abs(try MultiYearPlanner.annualGrowthRate(dailyDemand: daily) - 1) < 1e-9)
    }

    @Test func surgeTripleDemandForADay() throws {
        // 50 of 100 GPUs busy; ×3 for hours 10..<34 → 150 wanted: short by 50 for 24 h = 1,200 GPU-hours.
        let demand = CapacityDemand(model: "H100-80GB", installed: 100, forecast: Self.flat(50, hours: 168))
        let out = try WhatIfPlanner.surge(demand, factor: 3, window: 10..<34, supply: Self.h100Terms, policy: CapacityPolicy())
        #expect(out.peakShortfall == 50)
        #expect(out.unservedGPUHours == 1_200)
        #expect(out.recommendation.neededByHours == 10)
        #expect(out.recommendation.gpus == 136)   // ceil(150·1.1/0.7) = 236 − 100
    }
}
