import Foundation

/// The price of one device model from a date on. Prices are versioned, never edited: a change is a new
/// version with a later `effectiveFrom`, so usage is billed at the price in force when it ran and an
/// invoice already issued never changes.
public struct PriceVersion: Codable, Hashable, Sendable {
    /// The catalog model (canonical name).
    public var model: String
    /// Seconds since the Unix epoch from which this price applies (until the next version's).
    public var effectiveFrom: Double
    /// Price of one whole device for one hour of on-demand use.
    public var pricePerHour: Money
    /// Price of one device-hour of preemptible (spot) use; nil: `pricePerHour × billing.spotFactor`.
    public var spotPricePerHour: Money?
    /// Who set it and why (audit trail beside the audit log).
    public var setBy: String?
    public var note: String?

    public init(model: String, effectiveFrom: Double, pricePerHour: Money, spotPricePerHour: Money? = nil, setBy: String? = nil, note: String? = nil) {
        self.model = model
        self.effectiveFrom = effectiveFrom
        self.pricePerHour = pricePerHour
        self.spotPricePerHour = spotPricePerHour
        self.setBy = setBy
        self.note = note
    }
}

/// What an invoice line bills: on-demand use, preemptible (spot) use, or guaranteed quota that was
/// reserved but not used (charged to its owner, so holding capacity idle is never free).
public enum RateClass: String, Codable, Hashable, Sendable, CaseIterable {
    case onDemand = "on-demand"
    case spot
    case reservedIdle = "reserved-idle"
}

/// One volume-discount tier: from `minHours` GPU-hours in a period on, usage costs `factor` × price.
public struct DiscountTier: Codable, Hashable, Sendable {
    public var minHours: Decimal
    /// 0 < factor ≤ 1 (0.9 is "10 % off").
    public var factor: Decimal

    public init(minHours: Decimal, factor: Decimal) {
        self.minHours = minHours
        self.factor = factor
    }
}

/// How discount tiers apply to a tenant's volume in a period.
public enum DiscountMode: String, Codable, Hashable, Sendable, CaseIterable {
    /// Each tier's factor applies only to the hours inside that tier (like income-tax brackets): one more
    /// hour never makes the bill smaller.
    case marginal
    /// The factor of the highest tier reached applies to the whole volume.
    case whole
}
