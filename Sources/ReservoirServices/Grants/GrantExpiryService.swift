import ServiceLifecycle

/// The expiry pass (`GrantsContext.expireEnded`) as a loop: at the next grant's end on Reservoir's clock,
/// and at least every `pollSeconds` (a grant approved meanwhile, a clock a test or the demo moves).
public struct GrantExpiryService: Service {
    /// The longest real wait between passes.
    public static let pollSeconds = 60.0
    let reservoir: Reservoir

    public init(reservoir: Reservoir) { self.reservoir = reservoir }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try reservoir.grants.expireEnded()
                } catch {
                    reservoir.logger.error("grant expiry pass failed", metadata: ["error": "\(error)"])
                }
                await reservoir.grants.expiryWakeups.wait(upTo: reservoir.grants.secondsUntilNextEnd(atMost: Self.pollSeconds))
            }
        }
    }
}
