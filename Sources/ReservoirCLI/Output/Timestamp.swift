import Foundation

/// Times for people: ISO 8601 in UTC to the second (`2026-12-04T05:16:05Z`); the API keeps Unix seconds.
enum Timestamp {
    /// Unix seconds as ISO 8601, or the number as it is when it is no plausible time.
    static func iso(_ unixSeconds: Double) -> String {
        guard unixSeconds.isFinite, abs(unixSeconds) < 253_402_300_800 else { return String(unixSeconds) }  // year 9999
        return formatter(.withInternetDateTime).string(from: Date(timeIntervalSince1970: unixSeconds.rounded(.down)))
    }

    /// A full ISO 8601 time (`2026-12-01T09:00:00Z`, with or without fraction) or a date (`2026-12-01`, midnight UTC).
    static func parse(_ text: String) -> Date? {
        formatter(.withInternetDateTime).date(from: text)
            ?? formatter([.withInternetDateTime, .withFractionalSeconds]).date(from: text)
            ?? formatter(.withFullDate).date(from: text)
    }

    private static func formatter(_ options: ISO8601DateFormatter.Options) -> ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = options
        f.timeZone = TimeZone(identifier: "UTC")
        return f
    }
}
