import ArgumentParser
import Foundation

/// A point in time on the command line, for `--since` and `--until`: a duration ago (`2d`, `12h`,
/// `30m`, `1w`, `1d12h`), an ISO 8601 date or time (`2026-12-01`, `2026-12-01T09:00:00Z`), or Unix seconds.
struct TimeArgument: ExpressibleByArgument, Sendable {
    /// How each `--since`/`--until` option describes its accepted forms.
    static let help = "a duration ago (2d, 12h, 30m, 1w), an ISO 8601 date or time, or Unix seconds"

    private enum Value: Sendable {
        case ago(seconds: Double)
        case at(unixSeconds: Double)
    }

    private let value: Value

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds.isFinite {
            value = .at(unixSeconds: seconds)
        } else if let seconds = DurationText.seconds(text) {
            value = .ago(seconds: seconds)
        } else if let date = Timestamp.parse(text) {
            value = .at(unixSeconds: date.timeIntervalSince1970)
        } else {
            return nil
        }
    }

    /// Unix seconds, durations counted back from `now`.
    func unixSeconds(now: Double = Date().timeIntervalSince1970) -> Double {
        switch value {
        case .ago(let seconds): now - seconds
        case .at(let unixSeconds): unixSeconds
        }
    }
}

/// Durations as people type them: one or more number-and-unit groups, `90m`, `1.5h`, `1d12h`.
enum DurationText {
    static let unitSeconds: [String: Double] = ["s": 1, "m": 60, "min": 60, "h": 3600, "d": 86_400, "w": 604_800]

    /// The duration in seconds, or nil when the text is not one (a bare number has no unit, so it is not).
    static func seconds(_ text: String) -> Double? {
        var total = 0.0
        var rest = Substring(text.lowercased())
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let n = Double(number), n.isFinite, let seconds = unitSeconds[String(unit)] else { return nil }
            total += n * seconds
        }
        return total.isFinite ? total : nil
    }
}
