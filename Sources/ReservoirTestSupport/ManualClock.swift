import Foundation

/// A wall clock (Unix seconds) the test moves by hand, shared by the application and a simulated engine.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double

    public init(_ start: Double = 1_700_000_000) { value = start }

    public var now: Double { lock.withLock { value } }

    public func advance(_ seconds: Double) { lock.withLock { value += seconds } }

    /// The clock as the closure `Reservoir` and `SimulatedEngine` take.
    public var function: @Sendable () -> Double { { [self] in now } }
}
