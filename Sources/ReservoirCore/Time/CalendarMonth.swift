import Foundation

/// A calendar month in UTC (`2026-11`), the period of monthly listings and reports: its start and end as
/// Unix seconds, so a listing reads `start <= at < end`.
public struct CalendarMonth: Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// Parses `YYYY-MM` (years 2000–2199); 400 naming `field` otherwise.
    public init(parsing text: String, field: String = "month") throws(ReservoirError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
              (2000...2199).contains(year), (1...12).contains(month)
        else { throw ReservoirError.invalid(field, "\(field) must be a month as YYYY-MM (e.g. 2026-11); got '\(text.prefix(32))'") }
        self.year = year
        self.month = month
    }

    /// The month holding `time` (Unix seconds).
    public init(containing time: Double) {
        let parts = Self.utc.dateComponents([.year, .month], from: Date(timeIntervalSince1970: time))
        year = parts.year ?? 1970
        month = parts.month ?? 1
    }

    public var start: Double { Self.first(year, month) }
    public var end: Double { month == 12 ? Self.first(year + 1, 1) : Self.first(year, month + 1) }
    public var description: String { String(format: "%04d-%02d", year, month) }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private static func first(_ year: Int, _ month: Int) -> Double {
        utc.date(from: DateComponents(year: year, month: month, day: 1))!.timeIntervalSince1970
    }
}
