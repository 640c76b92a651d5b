import ReservoirCore

/// What-if questions on a planning snapshot: a demand surge, and a large request against the free pool.
///
/// The request plan takes sources in a fixed order of disruption and delay, each only as far as needed:
/// 1. free GPUs of the model in the region (now, at list price);
/// 2. preemption of lower classes, lowest rank first, only their preemptible GPUs (after the checkpoint
///    grace; costs the victims' remaining GPU-hours);
/// 3. free GPUs of the model in other regions, most free first (after the cross-region delay);
/// 4. spot, then partner offers, earliest available then cheapest first;
/// 5. rental for the rest if supplier terms allow it, else procurement (purchase lead time, capital).
/// Steps are then phased by availability time: the customer learns how many GPUs arrive when.
public enum WhatIfPlanner {
    public static func fulfil(_ r: CapacityRequest, snapshot s: ReservoirSnapshotForPlanning) throws(ForecastError) -> FulfilmentPlan {
        guard r.gpus > 0, r.durationHours > 0 else { throw ForecastError(.invalidInput, "request needs gpus > 0 and duration > 0") }
        guard let price = s.pricePerGPUHour[r.model] else { throw ForecastError(.invalidInput, "no price for \(r.model)") }
        guard let home = s.inventory(region: r.region, model: r.model) else {
            throw ForecastError(.invalidInput, "no \(r.model) in region \(r.region)")
        }
        var steps: [FulfilmentStep] = []
        var remaining = r.gpus
        func add(_ kind: FulfilmentStep.Kind, _ source: String, _ available: Int, at: Double, pricePerHour: Double,
                 capital: Double = 0, preemptedHoursPerGPU: Double = 0, note: String) {
            let n = min(available, remaining)
            guard n > 0 else { return }
            remaining -= n
            let hours = r.durationHours
            steps.append(FulfilmentStep(order: steps.count + 1, kind: kind, source: source, gpus: n, availableAtHours: at,
                                        cost: Double(n) * (hours * pricePerHour + capital),
                                        preemptedGPUHours: Double(n) * preemptedHoursPerGPU, note: note))
        }
        add(.freeCapacity, r.region, home.free, at: 0, pricePerHour: price, note: "free \(r.model) in \(r.region)")
        for c in home.byClass.filter({ $0.rank < r.priorityRank && $0.preemptible > 0 }).sorted(by: { ($0.rank, $0.priorityClass) < ($1.rank, $1.priorityClass) }) {
            add(.preemption, c.priorityClass, c.preemptible, at: s.preemptionGraceHours, pricePerHour: price,
                preemptedHoursPerGPU: min(c.meanRemainingHours, r.durationHours),
                note: "preempt class \(c.priorityClass) (rank \(c.rank)) after \(HumanDuration.text(hours: s.preemptionGraceHours)) grace")
        }
        let others = s.regions.filter { $0.name != r.region }
            .compactMap { region in region.models.first { $0.model == r.model }.map { (region.name, $0.free) } }
            .sorted { ($1.1, $0.0) < ($0.1, $1.0) }
        for (name, free) in others {
            add(.crossRegion, name, free, at: s.crossRegionDelayHours, pricePerHour: price, note: "borrow free \(r.model) from \(name)")
        }
        let offers = s.offers.filter { $0.model == r.model }.sorted {
            ($0.source == .spot ? 0 : 1, $0.availableAfterHours, $0.pricePerGPUHour) < ($1.source == .spot ? 0 : 1, $1.availableAfterHours, $1.pricePerGPUHour)
        }
        for o in offers {
            add(o.source == .spot ? .spot : .partner, o.provider, o.gpus, at: o.availableAfterHours, pricePerHour: o.pricePerGPUHour,
                note: "\(o.source.rawValue) capacity from \(o.provider)")
        }
        if remaining > 0, let terms = s.supply[r.model] {
            if terms.rentLeadHours < terms.purchaseLeadHours, terms.rentPricePerGPUHour > 0 {
                add(.rental, "rental", remaining, at: terms.rentLeadHours, pricePerHour: terms.rentPricePerGPUHour,
                    note: "rent for the request's duration")
            } else {
                add(.procurement, "purchase", remaining, at: terms.purchaseLeadHours, pricePerHour: 0,
                    capital: terms.purchasePricePerGPU, note: "buy; delivered after the purchase lead time")
            }
        }
        var phases: [FulfilmentPlan.Phase] = []
        var cumulative = 0
        for t in Set(steps.map(\.availableAtHours)).sorted() {
            cumulative += steps.filter { $0.availableAtHours == t }.reduce(0) { $0 + $1.gpus }
            phases.append(.init(atHours: t, gpus: cumulative))
        }
        return FulfilmentPlan(request: r, steps: steps, phases: phases, totalCost: steps.reduce(0) { $0 + $1.cost },
                              preemptedGPUHours: steps.reduce(0) { $0 + $1.preemptedGPUHours }, shortfall: remaining)
    }

    /// The outcome of multiplying demand by `factor` over `window` (lead-time indices of the forecast).
    public struct SurgeOutcome: Hashable, Sendable, Codable {
        public var surged: Forecast
        /// Largest hourly excess of surged mean demand over installed GPUs.
        public var peakShortfall: Double
        /// GPU-hours of surged mean demand above installed capacity.
        public var unservedGPUHours: Double
        /// What the capacity planner recommends for the surged demand.
        public var recommendation: CapacityRecommendation
    }

    public static func surge(_ demand: CapacityDemand, factor: Double, window: Range<Int>, supply: SupplyTerms,
                             policy: CapacityPolicy) throws(ForecastError) -> SurgeOutcome {
        guard factor > 0 else { throw ForecastError(.invalidInput, "surge factor must be positive") }
        var f = demand.forecast
        for h in window.clamped(to: 0..<f.horizon) {
            f.mean[h] *= factor; f.lower80[h] *= factor; f.upper80[h] *= factor
        }
        let excess = f.mean.map { max(0, $0 - Double(demand.installed)) }
        var surged = demand
        surged.forecast = f
        return SurgeOutcome(surged: f, peakShortfall: excess.max() ?? 0, unservedGPUHours: excess.reduce(0, +),
                            recommendation: try CapacityPlanner.plan(surged, terms: supply, policy: policy.validated()))
    }
}
