import Foundation
import Logging
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import Testing

/// Log lines at or above `error`, collected.
final class ErrorLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var errors: [String] { lock.withLock { lines } }

    var logger: Logger {
        Logger(label: "events-test") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: ErrorLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            guard event.level >= .error else { return }
            log.lock.withLock { log.lines.append("\(event.message) \(event.metadata ?? [:])") }
        }
    }
}

/// Engines deliver events at least once and race with Reservoir's own changes; a soak once logged
/// "job cannot go from running to running". Every event is applied only if it still applies.
@Suite("Engine events are idempotent")
struct EngineEventIdempotencyTests {
    @Test("the same started event from two places at once moves the job once, with no error")
    func concurrentStarted() async throws {
        let w = try World()
        let log = ErrorLog()
        let reservoir = Reservoir(store: w.store, engine: w.engine, logger: log.logger, clock: w.clock.function)
        for round in 0..<5 {
            let job = try w.submit("race-\(round)", gpus: 1, runtime: 3600)
            try await reservoir.scheduling.runSchedulingCycle()
            #expect(try w.job(job.id).state == .admitted)
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<16 {
                    group.addTask { reservoir.scheduling.apply(EngineEvent(job: job.id, kind: .started, at: w.clock.now)) }
                }
            }
            #expect(try w.job(job.id).state == .running)
            #expect(try w.store.events(job: job.id).filter { $0.kind == "running" }.count == 1)
        }
        #expect(log.errors.isEmpty, "\(log.errors)")
    }

    @Test("repeated and stale events change nothing and raise nothing")
    func staleEvents() async throws {
        let w = try World()
        let log = ErrorLog()
        let reservoir = Reservoir(store: w.store, engine: w.engine, logger: log.logger, clock: w.clock.function)
        let job = try w.submit("once", gpus: 1, runtime: 3600)
        try await reservoir.scheduling.runSchedulingCycle()
        let now = w.clock.now
        reservoir.scheduling.apply(EngineEvent(job: job.id, kind: .started, at: now))
        reservoir.scheduling.apply(EngineEvent(job: job.id, kind: .started, at: now))
        reservoir.scheduling.apply(EngineEvent(job: job.id, kind: .succeeded, at: now + 1))
        reservoir.scheduling.apply(EngineEvent(job: job.id, kind: .succeeded, at: now + 2))
        reservoir.scheduling.apply(EngineEvent(job: job.id, kind: .preempted, at: now + 3))
        #expect(try w.job(job.id).state == .succeeded)
        #expect(try w.store.events(job: job.id).map(\.kind) == ["submitted", "admitted", "running", "succeeded"])

        // A late "cancelled" or "preempted" of an earlier run must not touch the requeued job.
        let requeued = try w.submit("requeued", gpus: 1, runtime: 60)
        reservoir.scheduling.apply(EngineEvent(job: requeued.id, kind: .cancelled, at: now))
        reservoir.scheduling.apply(EngineEvent(job: requeued.id, kind: .preempted, at: now))
        reservoir.scheduling.apply(EngineEvent(job: requeued.id, kind: .succeeded, at: now))
        #expect(try w.job(requeued.id).state == .queued)
        #expect(log.errors.isEmpty, "\(log.errors)")
    }
}
