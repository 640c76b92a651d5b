import Foundation
import ReservoirCore
import ServiceLifecycle

/// A gentle stream of sample jobs so the demo cluster is alive when a newcomer looks: every few
/// seconds a demo tenant's demo member submits a plausible job, while fewer than `maxWaiting` jobs wait.
public struct DemoWorkload: Service {
    let reservoir: Reservoir
    let interval: Double
    let maxWaiting: Int

    public init(reservoir: Reservoir, interval: Double = 4, maxWaiting: Int = 12) {
        self.reservoir = reservoir
        self.interval = interval
        self.maxWaiting = maxWaiting
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var rng = SystemRandomNumberGenerator()
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
                do { try reservoir.demo.submitSample(maxWaiting: maxWaiting, using: &rng) } catch {
                    reservoir.logger.debug("demo submission skipped", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
