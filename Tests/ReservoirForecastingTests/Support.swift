import Foundation
import Testing

/// A seeded generator (SplitMix64) and Gaussian draws (Box–Muller), so synthetic series are the same on
/// every machine and every run.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / Double(1 << 53) }

    mutating func gaussian(sd: Double = 1) -> Double {
        sd * (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }
}

/// Where the shared bench data lives: `$RESERVOIR_SHARED`, else `<package root>/../shared`.
enum SharedData {
    static var directory: URL? {
        if let env = ProcessInfo.processInfo.environment["RESERVOIR_SHARED"] {
            let url = URL(fileURLWithPath: env)
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = root.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("bench").path) ? url : nil
    }

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// Run a shared-data test when the data is there, or on CI (where its absence must fail).
    static var runnable: Bool { directory != nil || isCI }

    static let skipNote: Comment = "skipped: shared data not found (set RESERVOIR_SHARED or place it at <package root>/../shared)"
}
