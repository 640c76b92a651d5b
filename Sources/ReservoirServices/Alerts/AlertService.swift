import ServiceLifecycle

/// The alert pass (`AlertsContext.pass`) as a loop: every `alerts.passIntervalSeconds`, or earlier when woken.
public struct AlertService: Service {
    let reservoir: Reservoir

    public init(reservoir: Reservoir) { self.reservoir = reservoir }

    public func run() async throws {
        let alerts = reservoir.alerts
        try await runPasses(named: "alert pass", logger: reservoir.logger) {
            try alerts.pass()
        } wait: {
            await alerts.alertWakeups.wait(upTo: reservoir.configuration.alerts.passIntervalSeconds)
        }
    }
}
