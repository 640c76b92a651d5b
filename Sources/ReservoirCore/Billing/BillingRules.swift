import Foundation

/// The billing rules an invoice is computed with (the `billing:` settings, docs/CONFIG.md, docs/BILLING.md).
/// Factors and prices are exact decimals; nothing here is a `Double`.
public struct BillingRules: Codable, Hashable, Sendable {
    /// ISO 4217 code printed on every invoice; amounts are in this currency's units.
    public var currency: String
    /// A session shorter than this is billed as this long, once, when it closes (`InvoiceCalculator`).
    public var minimumBillingSeconds: Int
    /// Volume-discount tiers, strictly increasing hours, factors in (0, 1] never increasing.
    public var discountTiers: [DiscountTier]
    public var discountMode: DiscountMode
    /// Spot price = on-demand price × this, for price versions that name no spot price.
    public var spotFactor: Decimal
    /// Reserved-but-idle device-hours cost the on-demand price × this.
    public var reservedIdleFactor: Decimal

    public init(
        currency: String = "USD", minimumBillingSeconds: Int = 60,
        discountTiers: [DiscountTier] = [DiscountTier(minHours: 100, factor: 0.9), DiscountTier(minHours: 500, factor: 0.8), DiscountTier(minHours: 1000, factor: 0.7)],
        discountMode: DiscountMode = .marginal, spotFactor: Decimal = 0.4, reservedIdleFactor: Decimal = 0.5
    ) {
        self.currency = currency
        self.minimumBillingSeconds = minimumBillingSeconds
        self.discountTiers = discountTiers
        self.discountMode = discountMode
        self.spotFactor = spotFactor
        self.reservedIdleFactor = reservedIdleFactor
    }

    /// The most volume-discount tiers a configuration may list.
    public static let maximumTiers = 20

    /// Every rule out of range, each naming its key under `path` (`billing.discountTiers[1].factor`);
    /// empty when the rules are usable.
    public func problems(at path: String) -> [ReservoirError] {
        var found: [ReservoirError] = []
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            found.append(.invalid("\(path).currency", "must be a three-letter ISO 4217 code such as USD, not '\(currency.prefix(20))'"))
        }
        if !(0...86_400).contains(minimumBillingSeconds) {
            found.append(.invalid("\(path).minimumBillingSeconds", "must be 0…86400 seconds, not \(minimumBillingSeconds)"))
        }
        if discountTiers.count > Self.maximumTiers {
            found.append(.invalid("\(path).discountTiers", "at most \(Self.maximumTiers) tiers, not \(discountTiers.count)"))
        }
        for (i, tier) in discountTiers.enumerated() {
            let key = "\(path).discountTiers[\(i)]"
            if !(tier.minHours > 0 && tier.minHours <= 10_000_000) {
                found.append(.invalid("\(key).minHours", "must be more than 0 and at most 10000000 hours, not \(tier.minHours)"))
            }
            if !(tier.factor > 0 && tier.factor <= 1) {
                found.append(.invalid("\(key).factor", "must be more than 0 and at most 1, not \(tier.factor)"))
            }
            if i > 0, tier.minHours <= discountTiers[i - 1].minHours {
                found.append(.invalid("\(key).minHours", "tiers must be in strictly increasing hours: \(tier.minHours) follows \(discountTiers[i - 1].minHours)"))
            }
            if i > 0, tier.factor > discountTiers[i - 1].factor {
                found.append(.invalid("\(key).factor", "a higher tier may not cost more: \(tier.factor) follows \(discountTiers[i - 1].factor)"))
            }
        }
        if !(spotFactor > 0 && spotFactor <= 1) {
            found.append(.invalid("\(path).spotFactor", "must be more than 0 and at most 1, not \(spotFactor)"))
        }
        if !(reservedIdleFactor >= 0 && reservedIdleFactor <= 1) {
            found.append(.invalid("\(path).reservedIdleFactor", "must be 0…1, not \(reservedIdleFactor)"))
        }
        return found
    }
}

/// What happens when a tenant with a credit account reaches a zero balance.
public enum ZeroBalancePolicy: String, Codable, Hashable, Sendable, CaseIterable {
    /// New jobs, requests and services of the tenant are refused until credit is added.
    case block
    /// Work goes on; finance and the tenant are notified.
    case alert
}
