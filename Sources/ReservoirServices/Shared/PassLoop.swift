import Logging
import ServiceLifecycle

/// The loop every periodic background pass shares (lease notices and expiry, review escalation, idle
/// allocations): run the pass, log a failure and carry on (the next pass retries: every pass is
/// idempotent), wait, and stop at a graceful shutdown.
func runPasses(
    named name: String, logger: Logger, pass: @escaping @Sendable () async throws -> Void, wait: @escaping @Sendable () async -> Void
) async throws {
    try await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await pass()
            } catch {
                logger.error("\(name) failed", metadata: ["error": "\(error)"])
            }
            await wait()
        }
    }
}
