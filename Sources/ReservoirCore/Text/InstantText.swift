import Foundation

/// A moment on Reservoir's clock (seconds since the epoch) in the words every message, notice and deadline
/// uses: ISO 8601 in UTC to the second, `2026-12-07T17:00:00Z`.
public enum InstantText {
    public static func iso(_ seconds: Double) -> String { Date(timeIntervalSince1970: seconds).ISO8601Format() }
}
