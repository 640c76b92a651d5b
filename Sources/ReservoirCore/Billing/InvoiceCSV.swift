import Foundation

extension Invoice {
    /// The invoice as CSV (RFC 4180, `\r\n` line ends): a header, one row per line, and a last row with
    /// the total. Every figure is fixed-point text (amounts to the cent, prices and hours exact), so the
    /// same invoice always gives the same bytes and a spreadsheet reads no binary floating point.
    public func csv() -> String {
        let header = ["tenant", "period", "status", "currency", "model", "rate_class", "project", "hours", "unit_price", "discount", "amount"]
        var rows = [header]
        for line in lines {
            rows.append([
                tenant.rawValue, period, status.rawValue, currency, line.model, line.rateClass.rawValue, line.project ?? "",
                line.hours.description, line.unitPrice.exactText, line.discount.description, line.amount.text(),
            ])
        }
        rows.append([tenant.rawValue, period, status.rawValue, currency, "total", "", "", "", "", "", total.text()])
        return rows.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A field quoted when it holds a separator, a quote or a line break (quotes doubled).
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
