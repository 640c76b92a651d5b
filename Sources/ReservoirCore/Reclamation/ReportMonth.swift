import Foundation

/// A calendar month in UTC, as reports name it (`2026-11`): the range `[since, until)` they cover.
public struct ReportMonth: Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    /// Parses `YYYY-MM`; anything else is a 400 naming `field`.
    public init(_ text: String, field: String = "month") throws(ReservoirError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
            (1970...9999).contains(year), (1...12).contains(month)
        else { throw ReservoirError.invalid(field, "must be a month as YYYY-MM, e.g. 2026-11") }
        self.year = year
        self.month = month
    }

    /// The month that holds `seconds` (UTC).
    public init(containing seconds: Double) {
        let parts = Self.calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: seconds))
        self.year = parts.year ?? 1970
        self.month = parts.month ?? 1
    }

    public var since: Double { Self.start(year, month) }
    public var until: Double { month == 12 ? Self.start(year + 1, 1) : Self.start(year, month + 1) }
    public var description: String { String(format: "%04d-%02d", year, month) }

    private static func start(_ year: Int, _ month: Int) -> Double {
        calendar.date(from: DateComponents(year: year, month: month, day: 1))?.timeIntervalSince1970 ?? 0
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
