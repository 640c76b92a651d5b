import Foundation

/// How a table shows one value. The API sends times as Unix seconds and money as plain numbers;
/// tables show times as ISO 8601 and money with the currency (columns say which: `Column.time`,
/// `Column.money`), so every command's table reads the same. `--json` prints the API's numbers untouched.
enum Cell {
    /// Whole numbers as they are, others with two decimals (`2`, `0.01`, `7545.50`).
    static func number(_ n: Double) -> String { n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(format: "%.2f", n) }

    /// A time in ISO 8601, `-` for none.
    static func time(_ unixSeconds: Double?) -> String { unixSeconds.map(Timestamp.iso) ?? "-" }

    /// Milli-GPU as GPUs (`4`, `0.50`).
    static func gpus(_ milli: Int) -> String { number(Double(milli) / 1000) }

    /// An amount with its currency, `-` for none.
    static func money(_ amount: Double?) -> String { amount.map(Money.format) ?? "-" }
}

/// A value a table cell can show as it is: text, numbers (`Cell.number`), `yes`/`no`, `-` for none,
/// identifiers and enumerations by their raw value.
protocol CellValue {
    var cell: String { get }
}

extension String: CellValue { var cell: String { self } }
extension Int: CellValue { var cell: String { Cell.number(Double(self)) } }
extension Int64: CellValue { var cell: String { Cell.number(Double(self)) } }
extension Double: CellValue { var cell: String { Cell.number(self) } }
extension Bool: CellValue { var cell: String { self ? "yes" : "no" } }
extension Optional: CellValue where Wrapped: CellValue { var cell: String { self?.cell ?? "-" } }

extension CellValue where Self: RawRepresentable, RawValue == String {
    var cell: String { rawValue }
}
