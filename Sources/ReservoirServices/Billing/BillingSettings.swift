import Foundation
import ReservoirCore

/// Billing (`billing:` in the configuration file, docs/CONFIG.md, docs/BILLING.md): the currency, the
/// minimum billing period, the volume discount, the spot and reserved-idle rates, and what a zero balance
/// does. Figures are written as plain numbers and read as the exact decimals they spell (`0.9` is 0.9).
public struct BillingSettings: Codable, Hashable, Sendable {
    public var currency = "USD"
    /// A session shorter than this is billed as this long (once, when it closes).
    public var minimumBillingSeconds = 60
    /// Volume-discount tiers per tenant and month: from `minHours` device-hours on, × `factor`.
    public var discountTiers = [Tier(minHours: 100, factor: 0.9), Tier(minHours: 500, factor: 0.8), Tier(minHours: 1000, factor: 0.7)]
    /// `marginal` (each tier's factor on the hours inside it: one more hour never lowers a bill) or
    /// `whole` (the highest tier reached applies to every hour).
    public var discountMode = DiscountMode.marginal
    /// Spot (preemptible) price = on-demand × this, for price versions without their own spot price.
    public var spotFactor = 0.4
    /// Reserved-but-idle device-hours (guaranteed quota and grants not used) cost on-demand × this; 0: free.
    public var reservedIdleFactor = 0.5
    /// `block`: a tenant with a credit account at zero balance may not start new work; `alert`: it is told.
    public var zeroBalance = ZeroBalancePolicy.alert

    public init() {}

    public struct Tier: Codable, Hashable, Sendable {
        public var minHours: Double
        public var factor: Double

        public init(minHours: Double, factor: Double) {
            self.minHours = minHours
            self.factor = factor
        }
    }

    /// The rules as exact decimals; a figure that is not a number becomes an out-of-range one, which
    /// `problems(at:)` names.
    public var rules: BillingRules {
        BillingRules(
            currency: currency, minimumBillingSeconds: minimumBillingSeconds,
            discountTiers: discountTiers.map { DiscountTier(minHours: Self.exact($0.minHours), factor: Self.exact($0.factor)) },
            discountMode: discountMode, spotFactor: Self.exact(spotFactor), reservedIdleFactor: Self.exact(reservedIdleFactor))
    }

    /// Every setting out of range, each naming its key under `path`.
    public func problems(at path: String) -> [ReservoirError] { rules.problems(at: path) }

    private static func exact(_ value: Double) -> Decimal { Money(writtenAs: value)?.value ?? -1 }
}
