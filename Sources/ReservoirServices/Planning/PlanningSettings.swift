import ReservoirCore
import ReservoirForecasting

/// Operator-set planning inputs that live state cannot tell: supplier terms, outside offers and the
/// expansion policy. Supply terms not configured for a model are derived from its catalog price
/// (documented in docs/PLANNING.md), never invented per call.
public struct PlanningSettings: Codable, Sendable {
    /// Supplier terms per canonical model.
    public var supply: [String: SupplyTerms]
    /// Spot and partner capacity currently on offer.
    public var offers: [CapacityOffer]
    public var policy: CapacityPolicy
    /// Hours of history the forecast is fitted on.
    public var historyHours: Int
    /// Hours ahead the capacity plan looks.
    public var horizonHours: Int
    public var crossRegionDelayHours: Double
    /// Purchase lead time when a model has no configured terms (12 weeks).
    public var defaultPurchaseLeadHours: Double
    /// Rental lead time when a model has no configured terms (1 week).
    public var defaultRentLeadHours: Double
    /// Purchase price = list price per hour × this many hours, when not configured.
    public var purchasePriceInListHours: Double
    /// Rental price = list price per hour × this factor, when not configured.
    public var rentPriceFactor: Double
    /// Yearly utilization targets of the multi-year plan.
    public var utilizationTargets: [Double]

    public init(
        supply: [String: SupplyTerms] = [:], offers: [CapacityOffer] = [], policy: CapacityPolicy = CapacityPolicy(),
        historyHours: Int = 28 * 24, horizonHours: Int = 14 * 24, crossRegionDelayHours: Double = 2,
        defaultPurchaseLeadHours: Double = 12 * 7 * 24, defaultRentLeadHours: Double = 7 * 24,
        purchasePriceInListHours: Double = 6000, rentPriceFactor: Double = 1.3, utilizationTargets: [Double] = [0.6, 0.7, 0.8]
    ) {
        self.supply = supply
        self.offers = offers
        self.policy = policy
        self.historyHours = historyHours
        self.horizonHours = horizonHours
        self.crossRegionDelayHours = crossRegionDelayHours
        self.defaultPurchaseLeadHours = defaultPurchaseLeadHours
        self.defaultRentLeadHours = defaultRentLeadHours
        self.purchasePriceInListHours = purchasePriceInListHours
        self.rentPriceFactor = rentPriceFactor
        self.utilizationTargets = utilizationTargets
    }

    /// Terms for a model: configured, else derived from its catalog list price.
    func terms(for model: String, catalog: GPUCatalog) -> SupplyTerms {
        if let configured = supply[model] { return configured }
        let price = catalog.model(named: model)?.pricePerHour ?? 1
        return SupplyTerms(
            purchaseLeadHours: defaultPurchaseLeadHours, purchasePricePerGPU: price * purchasePriceInListHours,
            rentLeadHours: defaultRentLeadHours, rentPricePerGPUHour: price * rentPriceFactor)
    }
}
