import ReservoirCore
import ServiceLifecycle

/// The alert pass (`AlertsContext.pass`) as a loop: every `alerts.passIntervalSeconds`, or earlier when
/// woken; after each pass, what fires goes to the Alertmanager when `alerts.alertmanager.url` is set.
public struct AlertService: Service {
    let reservoir: Reservoir
    /// The configured Alertmanager's feed; nil without one.
    let alertmanager: AlertmanagerFeed?

    public init(reservoir: Reservoir) {
        self.reservoir = reservoir
        let settings = reservoir.configuration.alerts
        alertmanager = settings.alertmanager.url.isEmpty
            ? nil
            : AlertmanagerFeed(
                url: settings.alertmanager.url, timeoutSeconds: settings.alertmanager.timeoutSeconds,
                passIntervalSeconds: settings.passIntervalSeconds)
    }

    /// One pass, then the Alertmanager's post: every firing alert again, the pass's resolutions once.
    /// A failed post fails this round only (the loop logs it); the next pass posts again.
    public func passOnce() async throws {
        let alerts = reservoir.alerts
        let changes = try alerts.pass()
        guard let alertmanager else { return }
        let resolved = changes.compactMap { change -> Alert? in
            if case .resolved(let alert) = change { alert } else { nil }
        }
        try await alertmanager.post(firing: try alerts.firing(), resolved: resolved, now: alerts.clock())
    }

    public func run() async throws {
        try await runPasses(named: "alert pass", logger: reservoir.logger) {
            try await passOnce()
        } wait: {
            await reservoir.alerts.alertWakeups.wait(upTo: reservoir.configuration.alerts.passIntervalSeconds)
        }
    }
}
