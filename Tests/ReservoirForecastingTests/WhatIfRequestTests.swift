import Testing
@testable import ReservoirForecasting

/// "A customer asks for 1,000 GPUs when 600 are free", on a hand-checked small reservoir.
@Suite struct WhatIfRequestTests {
    /// eu: 2,000 H100, 1,400 allocated (600 free): batch (rank 1) 500 with 250 preemptible, research (rank 2)
    /// 400 with 100 preemptible, prod (rank 5) 500 with none. us has 30 free, ap 10. A spot offer of 5 at
    /// 1 h, a partner offer of 20 at 24 h. List price 3.5/GPU-hour.
    static let snapshot = ReservoirSnapshotForPlanning(
        regions: [
            RegionInventory(name: "eu", models: [ModelInventory(model: "H100-80GB", total: 2_000, allocated: 1_400, byClass: [
                ClassAllocation(priorityClass: "batch", rank: 1, allocated: 500, preemptible: 250, meanRemainingHours: 10),
                ClassAllocation(priorityClass: "research", rank: 2, allocated: 400, preemptible: 100, meanRemainingHours: 20),
                ClassAllocation(priorityClass: "prod", rank: 5, allocated: 500, preemptible: 0, meanRemainingHours: 100),
            ])]),
            RegionInventory(name: "ap", models: [ModelInventory(model: "H100-80GB", total: 100, allocated: 90)]),
            RegionInventory(name: "us", models: [ModelInventory(model: "H100-80GB", total: 300, allocated: 270)]),
        ],
        pricePerGPUHour: ["H100-80GB": 3.5],
        supply: ["H100-80GB": SupplyTerms(purchaseLeadHours: 720, purchasePricePerGPU: 25_000, rentLeadHours: 72, rentPricePerGPUHour: 3.0)],
        offers: [
            CapacityOffer(source: .partner, provider: "partner-a", model: "H100-80GB", gpus: 20, availableAfterHours: 24, pricePerGPUHour: 2.8),
            CapacityOffer(source: .spot, provider: "cloud-spot", model: "H100-80GB", gpus: 5, availableAfterHours: 1, pricePerGPUHour: 1.2),
        ],
        crossRegionDelayHours: 2, preemptionGraceHours: 0.5)

    @Test func thousandGPUsWhenSixHundredAreFree() throws {
        let plan = try WhatIfPlanner.fulfil(CapacityRequest(region: "eu", model: "H100-80GB", gpus: 1_000, priorityRank: 3, durationHours: 48),
                                            snapshot: Self.snapshot)
        #expect(plan.steps.map(\.kind) == [.freeCapacity, .preemption, .preemption, .crossRegion, .crossRegion, .spot, .partner])
        #expect(plan.steps.map(\.source) == ["eu", "batch", "research", "us", "ap", "cloud-spot", "partner-a"])
        #expect(plan.steps.map(\.gpus) == [600, 250, 100, 30, 10, 5, 5])
        #expect(plan.steps.map(\.availableAtHours) == [0, 0.5, 0.5, 2, 2, 1, 24])
        // 48 h each: own/borrowed GPUs at 3.5 (990 · 168 = 166,320), spot 5 · 48 · 1.2 = 288, partner 5 · 48 · 2.8 = 672.
        #expect(abs(plan.totalCost - 167_280) < 1e-6)
        // Preempted work: batch 250 · 10 h + research 100 · 20 h.
        #expect(plan.preemptedGPUHours == 4_500)
        #expect(plan.shortfall == 0)
        #expect(plan.phases.map(\.atHours) == [0, 0.5, 1, 2, 24])
        #expect(plan.phases.map(\.gpus) == [600, 950, 955, 995, 1_000])
    }

    @Test func remainderBeyondAllSourcesIsRented() throws {
        // 1,100 wanted: after all 1,015 GPUs from the sources above, 85 are rented (72 h lead, 3.0/GPU-hour).
        let plan = try WhatIfPlanner.fulfil(CapacityRequest(region: "eu", model: "H100-80GB", gpus: 1_100, priorityRank: 3, durationHours: 48),
                                            snapshot: Self.snapshot)
        let last = try #require(plan.steps.last)
        #expect(last.kind == .rental && last.gpus == 85 && last.availableAtHours == 72)
        #expect(abs(last.cost - 85 * 48 * 3.0) < 1e-9)
        #expect(plan.steps.first { $0.kind == .partner }?.gpus == 20)
        #expect(plan.shortfall == 0)
    }

    @Test func lowPriorityRequestPreemptsNobody() throws {
        let plan = try WhatIfPlanner.fulfil(CapacityRequest(region: "eu", model: "H100-80GB", gpus: 700, priorityRank: 1, durationHours: 10),
                                            snapshot: Self.snapshot)
        #expect(!plan.steps.contains { $0.kind == .preemption })
        #expect(plan.preemptedGPUHours == 0)
        #expect(plan.steps.map(\.gpus) == [600, 30, 10, 5, 20, 35])
    }

    @Test func unknownModelIsRejected() {
        #expect(throws: ForecastError.self) {
            try WhatIfPlanner.fulfil(CapacityRequest(region: "eu", model: "B200", gpus: 1, priorityRank: 1, durationHours: 1), snapshot: Self.snapshot)
        }
    }
}
