import Foundation
import ReservoirCore
import ReservoirEngine

/// The simulator behind a switch: while `down`, cancel and resize fail as Slurm's do when its
/// controller is unreachable. Without resize, it stands for an engine that cannot resize (Slurm).
class SwitchedEngine: ExecutionEngine, PollingEngine, @unchecked Sendable {
    let inner: SimulatedEngine
    private let lock = NSLock()
    private var isDown: Bool

    init(speed: Double = 1000, down: Bool = false) {
        inner = SimulatedEngine(nodes: [], speed: speed, clock: { Date().timeIntervalSince1970 })
        isDown = down
    }

    var down: Bool {
        get { lock.withLock { isDown } }
        set { lock.withLock { isDown = newValue } }
    }

    func failIfDown(_ call: String) throws {
        if down { throw ReservoirError(.unavailable, "engine unreachable during \(call)") }
    }

    var kind: EngineKind { inner.kind }
    func inventory() async throws -> [Node] { try await inner.inventory() }
    func submit(_ spec: EngineJobSpec) async throws -> String { try await inner.submit(spec) }
    func cancel(_ job: JobID) async throws {
        try failIfDown("cancel")
        try await inner.cancel(job)
    }
    func preempt(_ job: JobID, graceSeconds: Double) async throws { try await inner.preempt(job, graceSeconds: graceSeconds) }
    func status(_ job: JobID) async throws -> EngineJobReport { try await inner.status(job) }
    func jobs() async throws -> [EngineJobReport] { try await inner.jobs() }
    func events() -> AsyncStream<EngineEvent> { inner.events() }
    func poll() async { await inner.poll() }
}

/// `SwitchedEngine` that can resize running jobs, and fails to while down.
final class SwitchedResizingEngine: SwitchedEngine, ResizingEngine, @unchecked Sendable {
    func resize(_ spec: EngineJobSpec) async throws {
        try failIfDown("resize")
        try await inner.resize(spec)
    }
}
