import Foundation
import ReservoirCore
import ReservoirServices

/// The notifications section (`notifications:`): the delivery worker's poll and the webhook.
extension NotificationSettings: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        [
            Rule.within(pollIntervalSeconds, 0.01...3_600, "\(path).pollIntervalSeconds"),
            webhookURLProblem(at: "\(path).webhook.url"),
        ].compactMap { $0 } + webhook.problems(at: "\(path).webhook")
    }

    /// An empty URL turns the webhook off; any other must be an absolute http(s) URL.
    private func webhookURLProblem(at path: String) -> ReservoirError? {
        guard !webhook.url.isEmpty else { return nil }
        guard let url = URL(string: webhook.url), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            return .invalid(path, "must be an http or https URL (or empty: no webhook), not '\(webhook.url)'")
        }
        return nil
    }
}

extension WebhookSettings: SettingsGroup {
    func problems(at path: String) -> [ReservoirError] {
        [
            Rule.within(timeoutSeconds, 0.1...300, "\(path).timeoutSeconds"),
            Rule.within(maxAttempts, 1...1_000, "\(path).maxAttempts"),
            Rule.within(backoffSeconds, 0.01...86_400, "\(path).backoffSeconds"),
            Rule.within(maxBackoffSeconds, 0.01...604_800, "\(path).maxBackoffSeconds"),
        ].compactMap { $0 }
    }
}
