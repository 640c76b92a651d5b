import Numerics

/// Dynamic harmonic regression: several seasonal periods (daily 24 h and weekly 168 h) as Fourier terms,
/// with ARMA errors; the TBATS/Prophet idea in a form whose intervals follow from the error model.
///
/// Fit: (1) optionally `log1p`-transform (non-negative, spiky demand, where errors scale with the level);
/// (2) for every candidate number of harmonics per period, OLS of the series on an intercept and the
/// Fourier columns, with or without a linear trend, keeping the design with the lowest AICc; (3) an
/// ARMA(p,q), p ≤ 3, q ≤ 2, chosen by AICc on the regression residuals, carries the short-term dynamics. Forecast = regression + ARMA
/// forecast of the residual; the 80 % interval is the ARMA one, transformed back (so after `log1p`
/// the mean is the forecast median, the right target for MAE).
public struct HarmonicRegression: Forecaster {
    public var periods: [Int]
    public var logTransform: Bool
    /// Harmonic counts tried per period (0 drops the period).
    public var harmonicChoices: [Int]
    public var name: String { "dhr_arma" + (logTransform ? "_log" : "") }

    public init(periods: [Int] = [24, 168], logTransform: Bool = false, harmonicChoices: [Int] = [0, 2, 4, 6]) {
        self.periods = periods
        self.logTransform = logTransform
        self.harmonicChoices = harmonicChoices
    }

    public func forecast(_ history: [Double], horizon: Int) throws(ForecastError) -> Forecast {
        let y = try transformed(history)
        guard let structure = search(y) else { throw ForecastError(.fitFailed, "harmonic regression was singular or had no ARMA error model") }
        return try fit(y, horizon: horizon, structure: structure)
    }

    /// What the search chooses: the usable periods, the design (trend flag, harmonics per period) and the
    /// ARMA order of the errors.
    struct Structure: Sendable {
        var periods: [Int]
        var orders: [Int]
        var errors: ArimaSpec
        /// The error model's optimum, the warm start of refits at later cuts.
        var errorStart: [Double]
    }

    private func transformed(_ history: [Double]) throws(ForecastError) -> [Double] {
        guard history.count >= 48 else { throw ForecastError(.insufficientHistory, "harmonic regression needs 48 points") }
        if logTransform, history.contains(where: { $0 < 0 }) {
            throw ForecastError(.invalidInput, "log transform needs non-negative values")
        }
        return logTransform ? history.map { Double.log(onePlus: $0) } : history
    }

    /// The design of the lowest AICc, then the ARMA(p,q), p ≤ 3, q ≤ 2, of the lowest AICc on its residuals.
    private func search(_ y: [Double]) -> Structure? {
        let n = y.count
        let usable = periods.filter { n >= 2 * $0 }
        var best: (aicc: Double, orders: [Int], coefficients: [Double])?
        let features = Fourier(n: n, periods: usable, harmonics: harmonicChoices.max() ?? 0)
        for orders in combinations(count: usable.count + 1) {
            let columns = features.columns(orders)
            guard let b = LeastSquares.solve(columns: columns, y: y) else { continue }
            let sse = (0..<n).reduce(0) { acc, t in let r = y[t] - Fourier.fitted(columns, b, t); return acc + r * r }
            let k = Double(b.count + 1), nn = Double(n)
            let aicc = nn * Double.log(sse / nn) + 2 * k + 2 * k * (k + 1) / max(nn - k - 1, 1)
            if aicc < (best?.aicc ?? .infinity) { best = (aicc, orders, b) }
        }
        guard let regression = best else { return nil }
        let chosen = features.columns(regression.orders)
        let residuals = (0..<n).map { y[$0] - Fourier.fitted(chosen, regression.coefficients, $0) }
        var errorModel: ArimaModel?
        for p in 0...3 {
            for q in 0...2 {
                let spec = ArimaSpec(p: p, d: 0, q: q)
                if let m = ArimaModel.fit(residuals, spec: spec), m.aicc < (errorModel?.aicc ?? .infinity) { errorModel = m }
            }
        }
        guard let arma = errorModel else { return nil }
        return Structure(periods: usable, orders: regression.orders, errors: arma.spec, errorStart: arma.point)
    }

    /// The regression and the ARMA error model of `structure`, estimated on the (transformed) `y`.
    private func fit(_ y: [Double], horizon: Int, structure: Structure) throws(ForecastError) -> Forecast {
        let n = y.count
        let usable = structure.periods, orders = structure.orders
        let features = Fourier(n: n, periods: usable, harmonics: orders.dropFirst().max() ?? 0)
        let columns = features.columns(orders)
        guard let coefficients = LeastSquares.solve(columns: columns, y: y) else { throw ForecastError(.fitFailed, "harmonic regression was singular") }
        let residuals = (0..<n).map { y[$0] - Fourier.fitted(columns, coefficients, $0) }
        guard let arma = ArimaModel.fit(residuals, spec: structure.errors, start: structure.errorStart) else {
            throw ForecastError(.fitFailed, "no ARMA error model could be fitted")
        }
        let e = arma.forecast(horizon: horizon)
        let level = (0..<horizon).map { dot(design(n + $0, usable, orders), coefficients) }
        let f = Forecast(mean: zip(level, e.mean).map(+), lower80: zip(level, e.lower80).map(+),
                         upper80: zip(level, e.upper80).map(+))
        return logTransform ? f.mapped { Double.expMinusOne($0) } : f
    }

    /// Every design: `orders[0]` is 1 with a linear trend, 0 without; then a harmonic count per usable period.
    private func combinations(count: Int) -> [[Int]] {
        var out: [[Int]] = [[0], [1]]
        for _ in 1..<count { out = out.flatMap { prefix in harmonicChoices.map { prefix + [$0] } } }
        return out
    }

    /// The regression row at time t: intercept, trend (per week, to keep the normal equations well scaled),
    /// then sine/cosine pairs.
    private func design(_ t: Int, _ periods: [Int], _ orders: [Int]) -> [Double] {
        var row = [1.0]
        if orders[0] == 1 { row.append(Double(t) / 168) }
        for (m, k) in zip(periods, orders.dropFirst()) where k > 0 {
            for j in 1...min(k, m / 2) {
                let angle = 2 * Double.pi * Double((j * t) % m) / Double(m)
                row.append(Double.sin(angle))
                row.append(Double.cos(angle))
            }
        }
        return row
    }

    /// The sine/cosine columns of `design` for t < n, computed once per history length instead of once
    /// per design tried, from one period of values (the angle reduced modulo the period: equal to
    /// `design`'s up to rounding).
    private struct Fourier {
        var periods: [Int]
        /// `columns[p][j − 1]` holds (sin, cos) of harmonic j of period p at every t.
        var columns: [[(sin: [Double], cos: [Double])]]

        var ones: [Double], trend: [Double]

        init(n: Int, periods: [Int], harmonics: Int) {
            self.periods = periods
            ones = [Double](repeating: 1, count: n)
            trend = (0..<n).map { Double($0) / 168 }
            columns = periods.map { m in
                harmonics < 1 ? [] : (1...min(harmonics, m / 2)).map { j in
                    // One period of values, repeated: m sines instead of n.
                    let phases = (0..<m).map { 2 * Double.pi * Double($0) / Double(m) }
                    let sines = phases.map { Double.sin($0) }, cosines = phases.map { Double.cos($0) }
                    return ((0..<n).map { sines[(j * $0) % m] }, (0..<n).map { cosines[(j * $0) % m] })
                }
            }
        }

        /// The columns of `design(t, periods, orders)` for t < n (shared, not copied: no per-row arrays).
        func columns(_ orders: [Int]) -> [[Double]] {
            var out = [ones]
            if orders[0] == 1 { out.append(trend) }
            for (p, (m, k)) in zip(periods, orders.dropFirst()).enumerated() where k > 0 {
                for j in 1...min(k, m / 2) {
                    out.append(columns[p][j - 1].sin)
                    out.append(columns[p][j - 1].cos)
                }
            }
            return out
        }

        /// The fitted value at t, summed in column order as `dot` does on a row.
        static func fitted(_ columns: [[Double]], _ b: [Double], _ t: Int) -> Double {
            var v = 0.0
            for i in 0..<columns.count { v += columns[i][t] * b[i] }
            return v
        }
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
}

extension HarmonicRegression: StructureSearching {
    var structureKey: String { "\(name) \(periods) \(harmonicChoices)" }
    func structure(_ y: [Double]) -> Structure? { (try? transformed(y)).flatMap(search) }
    func forecast(_ y: [Double], horizon: Int, structure: Structure) throws(ForecastError) -> Forecast {
        try fit(transformed(y), horizon: horizon, structure: structure)
    }
}
