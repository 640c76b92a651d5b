import ServiceLifecycle

/// The autoscaler loop: one pass over every service (`ServicesContext.autoscale`) every
/// `services.autoscaleIntervalSeconds`, or sooner when a deploy or a manual scaling wakes it.
/// Times come from Reservoir's clock, so a test or the demo moves them with its own.
public struct AutoscalerService: Service {
    let reservoir: Reservoir

    public init(reservoir: Reservoir) { self.reservoir = reservoir }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await reservoir.services.autoscale()
                await reservoir.services.autoscalerWakeups.wait(upTo: reservoir.configuration.services.autoscaleIntervalSeconds)
            }
        }
    }
}
