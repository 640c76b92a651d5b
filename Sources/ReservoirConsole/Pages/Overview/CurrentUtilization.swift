import ReservoirCore

/// The overview's "utilization now": the latest measurement that is complete. The bucket that holds the
/// present moment is still filling (in the minute under way only some devices have reported; the hour under
/// way mixes a few minutes with nothing), so its mean understates — a partly filled hour read 0.0 %. The
/// latest minute that has ended is the freshest complete figure; without one in the last `minuteLookback`
/// seconds (samples stopped, or the minutes were pruned), the latest hour that ended at most two hours ago.
struct CurrentUtilization: Equatable {
    /// Mean GPU utilization, %.
    var percent: Double
    /// When the measured bucket ended.
    var until: Double
    /// "minute" or "hour".
    var resolution: TelemetryResolution

    /// How far back the minute series is read.
    static let minuteLookback: Double = 15 * 60
    /// The oldest end of an hour still shown as "now".
    static let hourLookback: Double = 2 * 3_600

    /// The latest complete bucket of `minutes`, else of `hours`, as seen at `now`; nil when neither has one recent enough.
    static func latest(minutes: [UtilizationPoint], hours: [UtilizationPoint], now: Double) -> CurrentUtilization? {
        func last(_ points: [UtilizationPoint], _ resolution: TelemetryResolution, within lookback: Double) -> CurrentUtilization? {
            points.filter { $0.at + resolution.seconds <= now && now - ($0.at + resolution.seconds) <= lookback }
                .max { $0.at < $1.at }
                .map { CurrentUtilization(percent: $0.gpuUtilMean, until: $0.at + resolution.seconds, resolution: resolution) }
        }
        return last(minutes, .minute, within: minuteLookback) ?? last(hours, .hour, within: hourLookback)
    }

    /// The card's label: which bucket the figure is the mean of.
    var label: String {
        "GPU utilization now (the \(resolution.rawValue) to \(ConsoleFormat.time(until)))"
    }
}
