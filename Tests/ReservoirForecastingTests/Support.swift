import Foundation
import ReservoirCore

/// Gaussian draws (Box–Muller) over the core's seeded SplitMix64, so synthetic series are the same on
/// every machine and every run.
struct SeededRandom {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// Uniform in (0, 1): never 0, so its logarithm is finite.
    mutating func uniform() -> Double { (Double(generator.next() >> 11) + 0.5) / Double(1 << 53) }

    mutating func gaussian(sd: Double = 1) -> Double {
        sd * (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }
}
