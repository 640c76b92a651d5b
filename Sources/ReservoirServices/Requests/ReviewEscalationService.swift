import ServiceLifecycle

/// The escalation loop: one pass over the overdue reviews (`RequestsContext.escalateOverdue`) every
/// `requests.approval.escalationCheckSeconds` of real time. Deadlines are on Reservoir's clock, so a
/// test or the demo that moves the clock days ahead sees the escalation at the next pass.
public struct ReviewEscalationService: Service {
    let reservoir: Reservoir

    public init(reservoir: Reservoir) { self.reservoir = reservoir }

    public func run() async throws {
        try await runPasses(named: "review escalation", logger: reservoir.logger) {
            try reservoir.requests.escalateOverdue()
        } wait: {
            let seconds = reservoir.configuration.requests.approval.escalationCheckSeconds
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
        }
    }
}
