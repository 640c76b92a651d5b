import ReservoirCore
import ReservoirServices

/// The services section (`services:`): the autoscaler's interval and how reserve nodes are granted.
extension ServicesSettings: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        [
            Rule.within(autoscaleIntervalSeconds, 0.01...3_600, "\(path).autoscaleIntervalSeconds"),
            Rule.within(reserveAfterSeconds, 0...86_400, "\(path).reserveAfterSeconds"),
        ].compactMap { $0 }
    }
}
