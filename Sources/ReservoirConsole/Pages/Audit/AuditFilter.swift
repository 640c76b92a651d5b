import Foundation
import ReservoirCore

/// The audit page's filter, read from the query: `actor`, `action`, `object` as the API takes them, and
/// `since`/`until` as a UTC date (`2026-12-05`), date and time (`2026-12-05T14:00`, `2026-12-05 14:00`)
/// or Unix seconds. A time that is none of these is an error naming its field, shown next to it.
struct AuditFilter {
    static let textFields = ["actor", "action", "object"]
    static let timeFields = ["since", "until"]

    var filter = AuditListFilter()
    /// What was typed, by field, to fill the form again and to carry into the next page's link.
    var typed: [String: String] = [:]

    init(_ request: ConsoleRequest) throws {
        for name in Self.textFields + Self.timeFields {
            if let value = request.query(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty { typed[name] = value }
        }
        filter.actor = typed["actor"]
        filter.action = typed["action"]
        filter.object = typed["object"]
        for name in Self.textFields { if let text = typed[name] { try InputLimits.text(text, field: name) } }
        filter.since = try typed["since"].map { try Self.time($0, field: "since") }
        filter.until = try typed["until"].map { try Self.time($0, field: "until") }
        if let since = filter.since, let until = filter.until, until <= since {
            throw ReservoirError.invalid("until", "must be after since")
        }
    }

    /// Unix seconds of `text`: a UTC date, date and minute, or a number of seconds.
    static func time(_ text: String, field: String) throws -> Double {
        if let seconds = Double(text), seconds.isFinite {
            return try Bounds.check(seconds, field, in: Bounds.unixSeconds, unit: "(Unix seconds)")
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        }
        throw ReservoirError.invalid(field, "must be a UTC date (2026-12-05), a date and time (2026-12-05T14:00) or Unix seconds, not \"\(text)\"")
    }

    /// The query string of these filters (what was typed) plus `extra`.
    func query(_ extra: [String: String] = [:]) -> String {
        Self.link(typed.merging(extra) { _, new in new })
    }

    /// What a query value keeps unencoded: RFC 3986's unreserved characters.
    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// A query string of `parameters`, sorted by name, each value percent-encoded.
    static func link(_ parameters: [String: String]) -> String {
        parameters.sorted { $0.key < $1.key }.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")"
        }.joined(separator: "&")
    }
}
