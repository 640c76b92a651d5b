import ReservoirCore
import ReservoirServices

/// The alerts section (`alerts:`): thresholds of the built-in rules, the pass interval, the Alertmanager.
extension AlertSettings: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        var found = [
            Rule.within(passIntervalSeconds, 1...86_400, "\(path).passIntervalSeconds"),
            Rule.within(windowDays, 1...365, "\(path).windowDays"),
            Rule.within(lowEfficiencyBelowPercent, 0...100, "\(path).lowEfficiencyBelowPercent"),
            Rule.within(capacityRiskAbovePercent, 0...100, "\(path).capacityRiskAbovePercent"),
            Rule.within(saturationAbovePercent, 0...100, "\(path).saturationAbovePercent"),
            Rule.within(saturationForSeconds, 0...86_400, "\(path).saturationForSeconds"),
            Rule.within(underuseBelowPercent, 0...100, "\(path).underuseBelowPercent"),
            Rule.within(underuseForSeconds, 0...604_800, "\(path).underuseForSeconds"),
            Rule.within(queueWaitAboveSeconds, 1...2_592_000, "\(path).queueWaitAboveSeconds"),
            Rule.within(alertmanager.timeoutSeconds, 0.1...300, "\(path).alertmanager.timeoutSeconds"),
        ].compactMap { $0 }
        if lowEfficiencyBelowPercent >= capacityRiskAbovePercent {
            found.append(.invalid("\(path).lowEfficiencyBelowPercent", "must be below alerts.capacityRiskAbovePercent (\(capacityRiskAbovePercent))"))
        }
        if underuseBelowPercent >= saturationAbovePercent {
            found.append(.invalid("\(path).underuseBelowPercent", "must be below alerts.saturationAbovePercent (\(saturationAbovePercent))"))
        }
        if !alertmanager.url.isEmpty, !(alertmanager.url.hasPrefix("http://") || alertmanager.url.hasPrefix("https://")) {
            found.append(.invalid("\(path).alertmanager.url", "must be an http:// or https:// URL, not \(alertmanager.url)"))
        }
        return found
    }
}

extension AlertmanagerSettings: SettingsGroup {}
