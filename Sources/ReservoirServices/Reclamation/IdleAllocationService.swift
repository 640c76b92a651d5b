import ServiceLifecycle

/// The idle interactive-allocation pass (`IdleAllocationsContext.pass`) as a loop on Reservoir's clock.
public struct IdleAllocationService: Service {
    /// The longest real wait between passes.
    public static let pollSeconds = 60.0
    let reservoir: Reservoir

    public init(reservoir: Reservoir) { self.reservoir = reservoir }

    public func run() async throws {
        try await runPasses(named: "idle allocation pass", logger: reservoir.logger) {
            try await reservoir.idleAllocations.pass()
        } wait: {
            await reservoir.idleAllocations.idleWakeups.wait(upTo: Self.pollSeconds)
        }
    }
}
