import Foundation

/// An exact amount of money: a base-10 `Decimal`, never binary floating point, so 0.1 + 0.2 is 0.3 and an
/// invoice's lines add up to its total to the cent.
///
/// It is written as a JSON **string** (`"1234.50"`) so that no JSON reader turns it into a double on
/// the way; it reads a string or a number (as the shortest decimal that number is written as). Amounts are rounded to the cent half away from zero
/// (`rounded()`): per invoice line, never per session, and totals are sums of rounded lines.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var value: Decimal

    public init(_ value: Decimal) { self.value = value }

    /// Parses `"12.34"`, `"-5"`, `"0.005"`; nil for anything else (no exponent, no grouping, at least one digit:
    /// Foundation reads `"."` and `"-"` as 0).
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 40,
            trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
            trimmed.filter({ $0 == "." }).count <= 1, !trimmed.dropFirst().contains("-"), trimmed.contains(where: \.isNumber),
            let value = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        self.value = value
    }

    public static let zero = Money(Decimal(0))

    /// Rounded to `scale` decimal places (cents by default), half away from zero.
    public func rounded(scale: Int = 2) -> Money {
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, scale, .plain)
        return Money(output)
    }

    /// Fixed-point text with exactly `scale` places (`12.30`): what JSON, CSV and tables show.
    public func text(scale: Int = 2) -> String {
        let rounded = rounded(scale: scale).value
        let negative = rounded < 0
        var magnitude = negative ? -rounded : rounded
        var whole = Decimal()
        NSDecimalRound(&whole, &magnitude, 0, .down)
        let fraction = magnitude - whole
        var digits = (fraction * Decimal(sign: .plus, exponent: scale, significand: 1)).description
        digits = String(repeating: "0", count: max(0, scale - digits.count)) + digits
        let body = scale > 0 ? "\(whole.description).\(digits)" : whole.description
        return (negative ? "-" : "") + body
    }

    public var description: String { text() }

    public static func < (a: Money, b: Money) -> Bool { a.value < b.value }
    public static func + (a: Money, b: Money) -> Money { Money(a.value + b.value) }
    public static func - (a: Money, b: Money) -> Money { Money(a.value - b.value) }
    public static func * (a: Money, b: Decimal) -> Money { Money(a.value * b) }
    public static func += (a: inout Money, b: Money) { a.value += b.value }
    public static prefix func - (a: Money) -> Money { Money(-a.value) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let money = Money(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an amount: \(text.prefix(40))")
            }
            self = money
        } else {
            // A JSON number is read as the decimal it is written as (0.45 → 0.45), not as the binary
            // float nearest to it, which some writers print with seventeen digits.
            let number = try container.decode(Double.self)
            guard let money = Money(writtenAs: number) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an amount: \(number)")
            }
            self = money
        }
    }

    /// Written with enough places to stay exact (prices may have more than two); amounts are rounded
    /// before they are stored, so they print with two.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(exactText)
    }

    /// The shortest fixed-point text that keeps every digit (at least two places).
    public var exactText: String {
        var places = 2
        while places < 12, rounded(scale: places) != self { places += 1 }
        return text(scale: places)
    }
}

extension Money {
    /// The amount a `Double` figure was written as (`2.4` → exactly 2.40, not 2.39999…): its shortest
    /// decimal text. For list prices kept as `Double` in the catalog and factors read from the
    /// configuration file; nil for NaN and infinities.
    public init?(writtenAs value: Double) {
        guard value.isFinite, let exact = Decimal(string: "\(value)", locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        self.init(exact)
    }
}
