import ReservoirCore
import ReservoirServices

/// The leases section (`leases:`): lease terms, notices, extensions and idle reclamation.
extension LeaseSettings: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        var found = [
            Rule.within(fineTuningMaxDays, 0.01...3_650, "\(path).fineTuningMaxDays"),
            Rule.within(researchMaxDays, 0.01...3_650, "\(path).researchMaxDays"),
            Rule.within(offlineBatchMaxDays, 0.01...3_650, "\(path).offlineBatchMaxDays"),
            Rule.within(extensionMaxDays, 0.01...365, "\(path).extensionMaxDays"),
            Rule.within(extensionMaxCount, 0...100, "\(path).extensionMaxCount"),
            Rule.within(interactiveIdleTimeoutHours, 0.01...8_760, "\(path).interactiveIdleTimeoutHours"),
            Rule.within(interactiveNoticeHours, 0...8_760, "\(path).interactiveNoticeHours"),
        ].compactMap { $0 }
        for (i, day) in noticeDays.enumerated() where !(1...365).contains(day) {
            found.append(.invalid("\(path).noticeDays[\(i)]", "must be 1…365 days, not \(day)"))
        }
        return found + idleServices.problems(at: "\(path).idleServices")
    }
}

extension IdleServiceRule: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        [
            Rule.within(peakUtilizationBelowPercent, 0...100, "\(path).peakUtilizationBelowPercent"),
            Rule.within(peakMemoryBelowPercent, 0...100, "\(path).peakMemoryBelowPercent"),
            Rule.within(windowDays, 1...365, "\(path).windowDays"),
            Rule.within(confirmationDays, 0...365, "\(path).confirmationDays"),
        ].compactMap { $0 }
    }
}
