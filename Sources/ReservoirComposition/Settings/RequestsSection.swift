import ReservoirCore
import ReservoirServices

/// The requests section (`requests:`): approval tiers, compliance rules and the green channel.
extension RequestSettings: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        approval.problems(at: "\(path).approval") + compliance.problems(at: "\(path).compliance") + emergency.problems(at: "\(path).emergency")
    }
}

extension ApprovalRules: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        [
            Rule.within(autoApproveBelowGPUs, 0...1_000_000, "\(path).autoApproveBelowGPUs"),
            Rule.within(autoApproveBelowDays, 0...3_650, "\(path).autoApproveBelowDays"),
            Rule.within(hqAtGPUs, 1...1_000_000, "\(path).hqAtGPUs"),
            Rule.within(reviewDeadlineWorkingDays, 0.01...365, "\(path).reviewDeadlineWorkingDays"),
            Rule.within(escalationCheckSeconds, 0.01...3_600, "\(path).escalationCheckSeconds"),
            Rule.within(committeeApprovals, 1...100, "\(path).committeeApprovals"),
        ].compactMap { $0 }
    }
}

extension ComplianceRules: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        var found = [Rule.within(maxTenantShare, 0.0...1.0, "\(path).maxTenantShare")].compactMap { $0 }
        for (i, name) in strategicReserveForbiddenCategories.enumerated() where RequestCategory(rawValue: name) == nil {
            found.append(.invalid("\(path).strategicReserveForbiddenCategories[\(i)]",
                "'\(name)' is not a request category (\(RequestCategory.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        return found
    }
}

extension EmergencyRules: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        var found = [Rule.within(defaultHours, 0.1...8_760, "\(path).defaultHours")].compactMap { $0 }
        if categories.isEmpty { found.append(.invalid("\(path).categories", "must name at least one emergency category")) }
        return found
    }
}
