/// The arithmetic every `reservoir bench` figure shares, so two benchmarks never state "p99" differently.
enum BenchFigures {
    /// A duration in milliseconds.
    static func milliseconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) * 1000 + Double(atto) / 1e15
    }

    /// The `q` quantile (0…1) of already sorted values, nearest rank over `count − 1`; 0 for none.
    static func quantile(sorted: [Double], _ q: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
    }
}
