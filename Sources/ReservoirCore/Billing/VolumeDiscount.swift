import Foundation

/// The volume discount of a tenant's period: the fraction taken off every usage line, from the period's
/// on-demand and spot device-hours and the tiers.
///
/// In `marginal` mode each tier's factor applies to the hours inside the tier, so one more hour never
/// makes a bill smaller; the discounted hours are then spread evenly over all lines (one blended fraction),
/// so the result does not depend on which model's hours came "first". In `whole` mode the factor of the
/// highest tier reached (`volume >= minHours`) applies to every hour. The fraction is stated to six places
/// and each line's amount is computed from the stated figures, so anyone can recompute a line from the CSV.
public enum VolumeDiscount {
    public static let places = 6

    public static func fraction(volumeHours volume: Decimal, tiers: [DiscountTier], mode: DiscountMode) -> Decimal {
        guard volume > 0 else { return 0 }
        let factor: Decimal
        switch mode {
        case .whole:
            factor = tiers.last { volume >= $0.minHours }?.factor ?? 1
        case .marginal:
            var payable = min(volume, tiers.first?.minHours ?? volume)
            for (i, tier) in tiers.enumerated() where volume > tier.minHours {
                let top = i + 1 < tiers.count ? min(volume, tiers[i + 1].minHours) : volume
                payable += (top - tier.minHours) * tier.factor
            }
            factor = payable / volume
        }
        return Money(1 - factor).rounded(scale: places).value
    }
}
