import Foundation

/// Amounts of money for people: the catalog's prices are US-dollar cloud list prices
/// (`GPUCatalog`), so costs show as `$1,234.50`; the API keeps plain numbers.
enum Money {
    static let symbol = "$"

    /// `$1,234.50`, `-$3.00`; two decimals, thousands grouped, independent of the locale.
    static func format(_ amount: Double) -> String {
        guard amount.isFinite else { return String(amount) }
        let cents = (abs(amount) * 100).rounded()
        guard cents < 1e17 else { return (amount < 0 ? "-" : "") + symbol + String(format: "%.2e", abs(amount)) }
        let whole = String(Int64(cents) / 100)
        var grouped = ""
        for (i, digit) in whole.enumerated() {
            if i > 0, (whole.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (amount < 0 && cents > 0 ? "-" : "") + symbol + grouped + String(format: ".%02d", Int(Int64(cents) % 100))
    }
}
