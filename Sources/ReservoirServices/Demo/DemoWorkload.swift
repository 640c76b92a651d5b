import Foundation
import ReservoirCore
import ServiceLifecycle

/// A gentle stream of sample jobs so the demo cluster is alive when a newcomer looks: every few
/// seconds a demo tenant's demo member submits a plausible job, while fewer than `maxWaiting` jobs wait.
/// Beside it, once per start, the telemetry of the seeded history is written where it is missing
/// (`DemoContext.seedTelemetryHistory`, off the cooperative pool), so the server starts at once.
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
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await seedTelemetryHistory() }
                group.addTask { await submitSamples() }
            }
        }
    }

    private func seedTelemetryHistory() async {
        let demo = reservoir.demo
        let stopped = Flag()
        do {
            let started = ContinuousClock.now
            let written = try await withTaskCancellationHandler {
                try await Offload.run { try demo.seedTelemetryHistory(continuing: { !stopped.isSet }) }
            } onCancel: {
                stopped.set()
            }
            guard written > 0 else { return }
            reservoir.logger.info("demo telemetry history written", metadata: ["samples": "\(written)", "took": "\(ContinuousClock.now - started)"])
        } catch {
            reservoir.logger.error("demo telemetry history failed", metadata: ["error": "\(error)"])
        }
    }

    private func submitSamples() async {
        var rng = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            do { try reservoir.demo.submitSample(maxWaiting: maxWaiting, using: &rng) } catch {
                reservoir.logger.debug("demo submission skipped", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Set once, read from any thread: tells offloaded work that the service is shutting down.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
