import ServiceLifecycle

/// The lease pass (`Reservoir.leasePass`: lease notices, reclamation and expiry of ended grants) as a
/// loop: at the next notice or grant's end on Reservoir's clock, and at least every `pollSeconds` (a grant
/// approved meanwhile, a clock a test or the demo moves).
public struct GrantExpiryService: Service {
    /// The longest real wait between passes.
    public static let pollSeconds = 60.0
    let reservoir: Reservoir

    public init(reservoir: Reservoir) { self.reservoir = reservoir }

    public func run() async throws {
        try await runPasses(named: "lease pass", logger: reservoir.logger) {
            try reservoir.leasePass()
        } wait: {
            await reservoir.grants.expiryWakeups.wait(upTo: reservoir.secondsUntilNextLeaseEvent(atMost: Self.pollSeconds))
        }
    }
}
