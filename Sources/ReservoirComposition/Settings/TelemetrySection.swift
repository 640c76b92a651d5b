import ReservoirCore
import ReservoirServices

/// The telemetry section (`telemetry:`) is the application's `TelemetrySettings`: retention per resolution,
/// and how often the engines' devices are sampled.
extension TelemetrySettings: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        [
            Rule.within(minuteRetentionDays, (1.0 / 24)...31, "\(path).minuteRetentionDays"),
            Rule.within(hourRetentionDays, 1...(5 * 366), "\(path).hourRetentionDays"),
            Rule.within(dayRetentionDays, 1...(20 * 366), "\(path).dayRetentionDays"),
            Rule.within(pruneIntervalMinutes, 1...(24 * 60), "\(path).pruneIntervalMinutes"),
            Rule.within(sampleIntervalSeconds, 1...3_600, "\(path).sampleIntervalSeconds"),
        ].compactMap { $0 }
    }
}
