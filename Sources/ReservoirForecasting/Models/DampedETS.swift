import Numerics

/// ETS(A,Ad,A): additive errors, additive damped trend, additive seasonality (Holt–Winters damped),
/// fitted by maximum likelihood.
///
/// Recursions (error-correction form, Hyndman et al. 2008):
/// `ŷ_t = ℓ + φb + s_{t−m}`, `e = y − ŷ`, `ℓ ← ℓ + φb + αe`, `b ← φb + βe`, `s_t = s_{t−m} + γe`.
/// With Gaussian errors the log-likelihood is `−n/2 · log(SSE/n)` up to a constant, so α, β, γ, φ are found
/// by minimising `SSE` under the usual admissible region 0 < α < 1, 0 < β < α, 0 < γ < 1 − α,
/// 0.8 ≤ φ ≤ 0.98 (R `ets` bounds), each mapped from an unconstrained value by a logistic function.
/// Initial states are heuristic (classical decomposition of the first two seasons), as statsmodels'
/// `initialization_method="heuristic"`. Variance at lead h: `σ²(1 + Σ_{j<h} c_j²)`,
/// `c_j = α + βφ_j + γ·[j mod m = 0]`, `φ_j = φ + … + φʲ`.
public struct DampedETS: Forecaster {
    public var period: Int
    public var name: String { "ets_damped_\(period)" }

    public init(period: Int = 24) { self.period = period }

    /// The fitted smoothing parameters, exposed for tests and reports.
    public struct Parameters: Hashable, Sendable {
        public var alpha: Double, beta: Double, gamma: Double, phi: Double, sigma: Double
    }

    public func forecast(_ history: [Double], horizon: Int) throws(ForecastError) -> Forecast {
        try forecast(from: self.fit(history), horizon: horizon)
    }

    private func forecast(from fit: Fit, horizon: Int) -> Forecast {
        let m = period
        var mean: [Double] = [], sd: [Double] = []
        var phiH = 0.0, phiJ = 0.0, sumC2 = 0.0
        for h in 1...horizon {
            phiH += Double.pow(fit.parameters.phi, h)
            mean.append(fit.level + phiH * fit.trend + fit.seasonal[(fit.seasonal.count - m) + (h - 1) % m])
            sd.append(fit.parameters.sigma * (1 + sumC2).squareRoot())
            phiJ += Double.pow(fit.parameters.phi, h)
            let c = fit.parameters.alpha + fit.parameters.beta * phiJ + (h % m == 0 ? fit.parameters.gamma : 0)
            sumC2 += c * c
        }
        return Forecast(mean: mean, standardDeviation: sd)
    }

    public func parameters(_ history: [Double]) throws(ForecastError) -> Parameters { try fit(history).parameters }

    private struct Fit {
        var parameters: Parameters
        /// The optimum in the optimiser's coordinates: the warm start of a refit on a longer history.
        var point: [Double]
        var level: Double, trend: Double
        var seasonal: [Double]
    }

    /// `start` (a `point` fitted on a shorter prefix) starts the optimiser there with a smaller simplex.
    private func fit(_ y: [Double], start: [Double]? = nil) throws(ForecastError) -> Fit {
        let m = period
        guard y.count >= 3 * m else { throw ForecastError(.insufficientHistory, "ETS needs three seasons (\(3 * m) points)") }
        let initial = initialStates(y)
        let decode: ([Double]) -> Parameters = { u in
            let alpha = 0.0001 + 0.9998 * logistic(u[0])
            let beta = alpha * 0.9999 * logistic(u[1])
            let gamma = (1 - alpha) * 0.9999 * logistic(u[2])
            let phi = 0.8 + 0.18 * logistic(u[3])
            return Parameters(alpha: alpha, beta: beta, gamma: gamma, phi: phi, sigma: 0)
        }
        let objective: ([Double]) -> Double = { u in run(y, decode(u), initial).sse }
        let warm = start.flatMap { $0.count == 4 ? $0 : nil }
        let best = NelderMead.minimize(objective, start: warm ?? [-1, -2, -2, 1], step: warm == nil ? 1 : 0.3, maxEvaluations: 600,
                                       tolerance: warm == nil ? 1e-8 : ArimaModel.warmTolerance)
        var p = decode(best.point)
        let final = run(y, p, initial)
        guard final.sse.isFinite else { throw ForecastError(.fitFailed, "ETS recursion diverged") }
        p.sigma = (final.sse / Double(y.count - 4 - 2 - m)).squareRoot()
        return Fit(parameters: p, point: best.point, level: final.level, trend: final.trend, seasonal: final.seasonal)
    }

    /// Level and trend from the centred moving average of the first two seasons, seasonal indices from
    /// the detrended first two seasons, normalised to sum to zero.
    private func initialStates(_ y: [Double]) -> (level: Double, trend: Double, seasonal: [Double]) {
        let m = period
        let head = Array(y.prefix(2 * m))
        let first = Statistics.mean(head.prefix(m)), second = Statistics.mean(head.suffix(m))
        let trend = (second - first) / Double(m)
        let level = first - trend * Double(m - 1) / 2
        var seasonal = (0..<m).map { i in
            0.5 * ((head[i] - (level + trend * Double(i))) + (head[i + m] - (level + trend * Double(i + m))))
        }
        let s = Statistics.mean(seasonal)
        seasonal = seasonal.map { $0 - s }
        return (level - trend, trend, seasonal)
    }

    private func run(_ y: [Double], _ p: Parameters, _ start: (level: Double, trend: Double, seasonal: [Double]))
        -> (sse: Double, level: Double, trend: Double, seasonal: [Double])
    {
        let m = period
        var level = start.level, trend = start.trend
        var seasonal = start.seasonal
        seasonal.reserveCapacity(m + y.count)
        var sse = 0.0
        for (t, v) in y.enumerated() {
            let s = seasonal[t]
            let e = v - (level + p.phi * trend + s)
            sse += e * e
            level = level + p.phi * trend + p.alpha * e
            trend = p.phi * trend + p.beta * e
            seasonal.append(s + p.gamma * e)
        }
        return (sse, level, trend, seasonal)
    }
}

extension DampedETS: StructureSearching {
    /// The optimum on the search history, the warm start of the refits at later cuts.
    var structureKey: String { name }
    func structure(_ y: [Double]) -> [Double]? { try? fit(y).point }
    func forecast(_ y: [Double], horizon: Int, structure: [Double]) throws(ForecastError) -> Forecast {
        try forecast(from: fit(y, start: structure), horizon: horizon)
    }
}

/// The logistic function, mapping ℝ onto (0, 1).
func logistic(_ x: Double) -> Double { 1 / (1 + Double.exp(-x)) }
