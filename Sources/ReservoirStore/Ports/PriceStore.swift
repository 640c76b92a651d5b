import ReservoirCore

/// Reads of stored price versions.
public protocol PriceReader: Sendable {
    /// Stored versions, optionally of one model, by model then effective date.
    func priceVersions(model: String?) throws -> [PriceVersion]
}

/// The billing context's port for prices. Versions are appended, never edited or deleted, so an invoice
/// computed once can always be computed again. Each write carries `seed`, the model's list price from
/// the epoch on: it is stored first when the model has no stored version yet, so the price the model
/// was billed at until now stays on record when a new one is added.
public protocol PriceStore: PriceReader {
    /// Appends `version` (and `seed` when the model has none) with its audit entry; a version of the same
    /// model with the same `effectiveFrom` is a conflict naming `effectiveFrom`, nothing stored.
    func addPriceVersion(_ version: PriceVersion, seed: PriceVersion, by who: Attribution) throws
    /// A catalog edit that changes the list price: the model and its new price version (`version`, nil
    /// when the price did not change) in one transaction, each with its audit entry.
    func upsertCatalogModel(_ model: GPUModel, version: PriceVersion?, seed: PriceVersion, by who: Attribution) throws
}
