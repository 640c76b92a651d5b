/// The order-of-differencing tests that auto-ARIMA runs before its stepwise search, as in R's
/// `forecast::ndiffs` (KPSS, α = 5 %) and `nsdiffs` (seasonal strength ≥ 0.64).
enum UnitRootTests {
    /// KPSS level-stationarity statistic with Bartlett long-run variance, `lshort` lag choice.
    static func kpss(_ x: [Double]) -> Double {
        let n = x.count
        guard n > 3 else { return 0 }
        let m = Statistics.mean(x)
        let e = x.map { $0 - m }
        var s = 0.0, eta = 0.0
        for v in e { s += v; eta += s * s }
        eta /= Double(n * n)
        let lags = Int(4 * (Double(n) / 100).squareRoot().squareRoot())
        var lrv = e.reduce(0) { $0 + $1 * $1 } / Double(n)
        if lags > 0 {
            for l in 1...lags {
                var c = 0.0
                for t in l..<n { c += e[t] * e[t - l] }
                lrv += 2 * (1 - Double(l) / Double(lags + 1)) * c / Double(n)
            }
        }
        return lrv > 0 ? eta / lrv : 0
    }

    /// Number of first differences (0…`maxD`) after which KPSS no longer rejects at 5 % (critical 0.463).
    static func ndiffs(_ x: [Double], maxD: Int = 2) -> Int {
        var d = 0
        var y = x
        while d < maxD, y.count > 10, kpss(y) > 0.463 {
            y = Statistics.difference(y)
            d += 1
        }
        return d
    }

    /// Seasonal strength `max(0, 1 − var(R) / var(S + R))` from a classical additive decomposition.
    static func seasonalStrength(_ x: [Double], period m: Int) -> Double {
        guard x.count >= 2 * m else { return 0 }
        let trend = Statistics.centredMovingAverage(x, period: m)
        var detrended = [Double?](repeating: nil, count: x.count)
        var sums = [Double](repeating: 0, count: m), counts = [Double](repeating: 0, count: m)
        for t in x.indices { if let tr = trend[t] { detrended[t] = x[t] - tr; sums[t % m] += x[t] - tr; counts[t % m] += 1 } }
        var seasonal = (0..<m).map { counts[$0] > 0 ? sums[$0] / counts[$0] : 0 }
        let sm = Statistics.mean(seasonal)
        seasonal = seasonal.map { $0 - sm }
        var remainder: [Double] = [], seasonalPlusRemainder: [Double] = []
        for t in x.indices { if let d = detrended[t] { remainder.append(d - seasonal[t % m]); seasonalPlusRemainder.append(d) } }
        let v = Statistics.variance(seasonalPlusRemainder)
        return v > 0 ? max(0, 1 - Statistics.variance(remainder) / v) : 0
    }

    /// One seasonal difference when the seasonal strength reaches 0.64, else none.
    static func nsdiffs(_ x: [Double], period m: Int) -> Int {
        m > 1 && x.count >= 3 * m && seasonalStrength(x, period: m) >= 0.64 ? 1 : 0
    }
}
