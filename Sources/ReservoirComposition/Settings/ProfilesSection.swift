import ReservoirCore
import ReservoirServices

/// The `profiles:` section is the application's `ProfileSettings`: how often device profiles are
/// rebuilt, when a device counts as unreliable, and how runtime predictions are taken.
extension ProfileSettings: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        [
            Rule.within(refreshSeconds, 1...86_400, "\(path).refreshSeconds"),
            Rule.within(unreliableFaults, 1...1_000, "\(path).unreliableFaults"),
            Rule.within(predictionPercentile, 0.5...1, "\(path).predictionPercentile"),
            Rule.within(predictionMinimumSamples, 1...1_000, "\(path).predictionMinimumSamples"),
        ].compactMap { $0 }
    }
}

/// The `metrics:` section is the application's `MetricsSettings`.
extension MetricsSettings: SettingsGroup {}
