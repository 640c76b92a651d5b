import ArgumentParser
import Foundation
import ReservoirCore

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
    /// The argument as typed (trimmed), for an API that reads the same forms against its own clock.
    let text: String

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        self.text = text
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
