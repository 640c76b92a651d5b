/// Small descriptive statistics shared by the models and the metrics.
enum Statistics {
    static func mean(_ x: some Collection<Double>) -> Double {
        x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count)
    }

    static func variance(_ x: some Collection<Double>) -> Double {
        guard x.count > 1 else { return 0 }
        let m = mean(x)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    }

    /// `x[t] − x[t−lag]` for every t ≥ lag.
    static func difference(_ x: [Double], lag: Int = 1) -> [Double] {
        guard x.count > lag else { return [] }
        return (lag..<x.count).map { x[$0] - x[$0 - lag] }
    }

    /// In-sample MAE of the lag-`m` seasonal naive, the MASE scale of the protocol.
    static func seasonalNaiveScale(_ x: [Double], period m: Int) -> Double {
        mean(difference(x, lag: m).map(abs))
    }

    /// The empirical `p`-quantile (linear interpolation between order statistics, R type 7).
    static func quantile(_ x: [Double], _ p: Double) -> Double {
        guard !x.isEmpty else { return 0 }
        let s = x.sorted()
        let h = Double(s.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, s.count - 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }

    /// Centred moving average of length `m` (2×m when m is even), as in classical decomposition;
    /// the ends, where the window does not fit, are nil.
    static func centredMovingAverage(_ x: [Double], period m: Int) -> [Double?] {
        let n = x.count
        var out = [Double?](repeating: nil, count: n)
        let half = m / 2
        guard n > m else { return out }
        for t in half..<(n - half) {
            if m % 2 == 0 {
                var s = 0.5 * (x[t - half] + x[t + half])
                for j in (t - half + 1)..<(t + half) { s += x[j] }
                out[t] = s / Double(m)
            } else {
                out[t] = mean(x[(t - half)...(t + half)])
            }
        }
        return out
    }
}
