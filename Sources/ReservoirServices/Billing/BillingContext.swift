import Foundation
import ReservoirCore
import ReservoirStore

/// Billing: the prices of device models as versions with effective dates, and what a tenant's usage of a
/// month costs (`charges`), computed by `InvoiceCalculator` from the sessions, the price versions in
/// force and the reserved capacity. Invoices, balances and showback are built on `charges`.
///
/// A model that has no stored version is priced at its catalog list price from the epoch on; the first
/// version added for it stores that price as well, so the past keeps the price it ran at.
public struct BillingContext: ApplicationContext {
    public typealias Store = PriceStore & UsageStore & InventoryReader & TenancyReader & RequestReader & ReclamationReader
    let store: any Store
    public let runtime: Runtime

    /// The rules invoices are computed with (`billing:` settings).
    public var rules: BillingRules { configuration.billing.rules }

    /// Price versions by model then date (`model` only that model's); with `at`, only the version in force
    /// then, one per model. Any role that may read billing may read prices.
    public func prices(model asked: String? = nil, at: Double? = nil, by principal: Principal) throws -> [PriceVersion] {
        try access.requireAny(principal, .readBilling)
        let model = try asked.map { try catalogModel($0).name }
        if let at { try Bounds.check(at, "at", in: Bounds.unixSeconds) }
        let book = try priceBook()
        let versions = book.all.filter { model == nil || $0.model == model }
        guard let at else { return versions }
        return Set(versions.map(\.model)).sorted().compactMap { book.version(of: $0, at: at) }
    }

    /// Adds a price version (finance only). It may not start before now, so an invoice already computed
    /// never changes; a second version of the model from the same instant is a 409.
    public func setPrice(_ input: PriceInput, by principal: Principal) throws -> PriceVersion {
        try access.require(principal, .manageBilling, tenant: nil)
        let model = try catalogModel(input.model)
        let now = clock()
        try Bounds.check(input.effectiveFrom, "effectiveFrom", in: Bounds.unixSeconds)
        guard input.effectiveFrom >= now else {
            throw ReservoirError.invalid("effectiveFrom", "is before now: a price applies from now on at the earliest, so past invoices never change")
        }
        try Self.check(input.pricePerHour, "pricePerHour")
        if let spot = input.spotPricePerHour {
            try Self.check(spot, "spotPricePerHour")
            guard spot <= input.pricePerHour else { throw ReservoirError.invalid("spotPricePerHour", "may not exceed pricePerHour (\(input.pricePerHour))") }
        }
        if let note = input.note { try InputLimits.text(note, field: "note") }
        let version = PriceVersion(
            model: model.name, effectiveFrom: input.effectiveFrom, pricePerHour: input.pricePerHour, spotPricePerHour: input.spotPricePerHour,
            setBy: principal.actor, note: input.note)
        try store.addPriceVersion(version, seed: try seed(model), by: attribution(principal))
        return version
    }

    /// Writes a catalog edit (the inventory context has checked it); a changed list price of a model
    /// already in the catalog becomes a price version effective now, in the same transaction, checked
    /// like one finance adds (more than 0, bounded, at most 6 places: else 400 and nothing written).
    func upsertCatalogModel(_ model: GPUModel, by principal: Principal) throws {
        let who = attribution(principal)
        let current = try store.catalog().model(named: model.name)
        var version: PriceVersion?
        if let current, current.pricePerHour != model.pricePerHour {
            guard let price = Money(writtenAs: model.pricePerHour) else { throw ReservoirError.invalid("pricePerHour", "must be a number") }
            // The same rules as `setPrice`: a catalog edit may not make a model free or carry sub-micro prices.
            try Self.check(price, "pricePerHour")
            version = PriceVersion(model: current.name, effectiveFrom: who.at, pricePerHour: price, setBy: principal.actor, note: "catalog list price changed")
        }
        try store.upsertCatalogModel(model, version: version, seed: try seed(current ?? model), by: who)
    }

    /// Every stored version, and the catalog list price from the epoch for each model without one.
    public func priceBook() throws -> PriceBook {
        let stored = try store.priceVersions(model: nil)
        let priced = Set(stored.map(\.model))
        let seeds = try store.catalog().models.filter { !priced.contains($0.name) }.map(seed)
        return PriceBook(stored + seeds)
    }

    /// The calculator with the configured rules and today's price book.
    public func calculator() throws -> InvoiceCalculator {
        InvoiceCalculator(rules: rules, prices: try priceBook())
    }

    /// A model's list price from the epoch on: what it is billed at until a version is added.
    private func seed(_ model: GPUModel) throws -> PriceVersion {
        guard let price = Money(writtenAs: model.pricePerHour) else { throw ReservoirError.invalid("pricePerHour", "must be a number") }
        return PriceVersion(model: model.name, effectiveFrom: 0, pricePerHour: price, setBy: "system:catalog", note: "catalog list price")
    }

    private func catalogModel(_ name: String) throws -> GPUModel {
        guard let model = try store.catalog().model(named: name) else {
            throw ReservoirError.invalid("model", "'\(name.prefix(80))' is not a catalog model (reservoir catalog lists them)")
        }
        return model
    }

    private static func check(_ price: Money, _ field: String) throws {
        guard price.value > 0, price.value <= Self.maximumPrice else {
            throw ReservoirError.invalid(field, "must be more than 0 and at most \(Self.maximumPrice) per device-hour, not \(price.exactText)")
        }
        guard price.rounded(scale: 6) == price else { throw ReservoirError.invalid(field, "has more than 6 decimal places") }
    }

    /// The highest price per device-hour accepted.
    static let maximumPrice: Decimal = 1_000_000
}

/// A new price version as finance enters it (`POST /v1/prices`, `reservoir price set`).
public struct PriceInput: Codable, Hashable, Sendable {
    public var model: String
    /// Unix seconds; not before now.
    public var effectiveFrom: Double
    public var pricePerHour: Money
    public var spotPricePerHour: Money?
    public var note: String?

    public init(model: String, effectiveFrom: Double, pricePerHour: Money, spotPricePerHour: Money? = nil, note: String? = nil) {
        self.model = model
        self.effectiveFrom = effectiveFrom
        self.pricePerHour = pricePerHour
        self.spotPricePerHour = spotPricePerHour
        self.note = note
    }
}
