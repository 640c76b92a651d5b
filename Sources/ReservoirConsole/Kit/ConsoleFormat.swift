import Foundation

/// How the console writes times, durations and shares, the same on every page.
public enum ConsoleFormat {
    /// A moment as `2026-12-05 14:03 UTC` (operators across regions read one zone).
    public static func time(_ seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: seconds)) + " UTC"
    }

    /// A day as `Dec 5` (chart axes).
    public static func day(_ seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "MMM d HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    /// A duration in its two largest units: `45 s`, `12 min`, `3 h 12 min`, `2 d 4 h`.
    public static func duration(_ seconds: Double) -> String {
        let s = Int(max(seconds, 0).rounded())
        switch s {
        case ..<60: return "\(s) s"
        case ..<3_600: return "\(s / 60) min"
        case ..<86_400: return s % 3_600 / 60 == 0 ? "\(s / 3_600) h" : "\(s / 3_600) h \(s % 3_600 / 60) min"
        default: return s % 86_400 / 3_600 == 0 ? "\(s / 86_400) d" : "\(s / 86_400) d \(s % 86_400 / 3_600) h"
        }
    }

    /// A percentage with one decimal, or "–" when there is none.
    public static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.1f %%", value)
    }
}
