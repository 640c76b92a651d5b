import ReservoirCore
import ReservoirServices

/// Prices: versions per device model with effective dates.
extension Components {
    static let prices = [priceVersion, priceInput]

    static let priceVersion = Component("PriceVersion", .object(
        required: [
            "model": Schema.string().described("Catalog model (canonical name)"),
            "effectiveFrom": Schema.number(minimum: 0).described("Unix seconds from which it applies, until the model's next version"),
            "pricePerHour": Schema.money.described("One whole device for one hour, on demand"),
        ],
        optional: [
            "spotPricePerHour": Schema.money.described("One device-hour of preemptible work; absent: pricePerHour × billing.spotFactor"),
            "setBy": Schema.string().described("user:ID, or system:catalog for the list price a model had before its first version"),
            "note": .string(),
        ]))

    static let priceInput = Component("PriceInput", .input(
        required: [
            "model": Schema.symbol.described("A catalog model (name or alias)"),
            "effectiveFrom": Schema.unixSeconds.described("Unix seconds, not before now: past invoices never change"),
            "pricePerHour": Schema.moneyInput.described("More than 0, at most 1000000, at most 6 decimal places"),
        ],
        optional: [
            "spotPricePerHour": Schema.moneyInput.described("More than 0, at most pricePerHour"),
            "note": Schema.text().described("Why: kept with the version"),
        ]))
}

extension Schema {
    /// An exact amount as JSON writes it: a decimal string, never a binary float (`Money`).
    static let money = string(maxBytes: 40, pattern: #"^-?[0-9]+\.[0-9]{2,12}$"#)
    /// An amount as a client may send it: a decimal string such as "2.40".
    static let moneyInput = string(maxBytes: 40, minLength: 1, pattern: #"^-?[0-9]+(\.[0-9]+)?$"#)
}
