import ReservoirCore
import ReservoirForecasting
import ReservoirServices

/// The planning section (`planning:`) is the application's `PlanningSettings` as it stands: supplier
/// terms, outside offers, the expansion policy and the forecast windows.
extension PlanningSettings: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        var found = [
            Rule.within(historyHours, 24...(5 * 366 * 24), "\(path).historyHours"),
            Rule.within(horizonHours, 1...(366 * 24), "\(path).horizonHours"),
            Rule.within(crossRegionDelayHours, 0...(366 * 24), "\(path).crossRegionDelayHours"),
            Rule.within(defaultPurchaseLeadHours, 0...(5 * 366 * 24), "\(path).defaultPurchaseLeadHours"),
            Rule.within(defaultRentLeadHours, 0...(5 * 366 * 24), "\(path).defaultRentLeadHours"),
            Rule.within(purchasePriceInListHours, 0...1_000_000, "\(path).purchasePriceInListHours"),
            Rule.within(rentPriceFactor, 0...1_000, "\(path).rentPriceFactor"),
            Rule.within(policy.expansionThreshold, CapacityPolicy.expansionThresholds, "\(path).policy.expansionThreshold"),
            Rule.within(policy.buffer, CapacityPolicy.buffers, "\(path).policy.buffer"),
            Rule.within(policy.sustainedHours, 1...(366 * 24), "\(path).policy.sustainedHours"),
            utilizationTargets.isEmpty ? .invalid("\(path).utilizationTargets", "needs at least one yearly target") : nil,
        ]
        for (i, target) in utilizationTargets.enumerated() {
            found.append(Rule.within(target, 0.01...1, "\(path).utilizationTargets[\(i)]"))
        }
        for (model, terms) in supply.sorted(by: { $0.key < $1.key }) {
            let at = "\(path).supply.\(model)"
            found += [
                Rule.within(terms.purchaseLeadHours, 0...(5 * 366 * 24), "\(at).purchaseLeadHours"),
                Rule.within(terms.purchasePricePerGPU, 0...1e9, "\(at).purchasePricePerGPU"),
                Rule.within(terms.rentLeadHours, 0...(5 * 366 * 24), "\(at).rentLeadHours"),
                Rule.within(terms.rentPricePerGPUHour, 0...1e6, "\(at).rentPricePerGPUHour"),
            ]
        }
        for (i, offer) in offers.enumerated() {
            let at = "\(path).offers[\(i)]"
            found += [
                Rule.notEmpty(offer.provider, "\(at).provider"),
                Rule.notEmpty(offer.model, "\(at).model"),
                Rule.within(offer.gpus, 1...1_000_000, "\(at).gpus"),
                Rule.within(offer.availableAfterHours, 0...(366 * 24), "\(at).availableAfterHours"),
                Rule.within(offer.pricePerGPUHour, 0...1e6, "\(at).pricePerGPUHour"),
            ]
        }
        return found.compactMap { $0 }
    }
}

extension CapacityPolicy: SettingsGroup {}
