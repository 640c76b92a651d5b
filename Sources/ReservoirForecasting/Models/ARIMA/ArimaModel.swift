import Numerics

/// A fitted seasonal ARIMA model: conditional-sum-of-squares estimates, forecasts and intervals.
///
/// Estimation: the series is differenced (`w = ∇ᵈ ∇ₘᴰ y`); for given coefficients the one-step errors
/// `e_t = (w_t − μ) − Σ a_l (w_{t−l} − μ) − Σ b_l e_{t−l}` are computed from the first fully observed lag
/// on, with earlier errors set to zero, and Nelder–Mead minimises their sum of squares. AR and MA parts
/// are parameterised through partial autocorrelations (tanh), so every candidate is stationary and
/// invertible. AICc is computed from the Gaussian likelihood at σ² = SSE / n_used, as R's CSS method does.
/// With `robust`, the coefficients minimise the sum of absolute one-step errors instead (least absolute
/// deviations): demand that moves in jumps (a multi-GPU job starting or ending) then no longer drags the
/// estimates, and the fitted dynamics are those of the typical hour, which is what absolute-error metrics
/// reward. σ² is still the mean squared error, so the interval keeps the jumps' width.
/// Forecast variance at lead h is `σ² Σ_{j<h} ψ_j²` from the ψ-weights of the full (differenced) model.
struct ArimaModel: Sendable {
    let spec: ArimaSpec
    let ar: LagPolynomial.Terms
    let ma: LagPolynomial.Terms
    let mean: Double
    let sigma2: Double
    let aicc: Double
    /// The optimum in the optimiser's unconstrained coordinates: the warm start of a refit on a longer history.
    let point: [Double]
    private let history: [Double]
    private let differenced: [Double]
    private let residuals: [Double]

    /// `conditioningLags` sets the first error to score (at least the model's own AR lag), so that a search
    /// comparing orders scores every candidate on the same observations and their AICc are comparable.
    ///
    /// `start` (a `point` of the same order fitted on a shorter prefix) starts the optimiser near the optimum
    /// with a smaller simplex: a refit a few hours later needs far fewer evaluations.
    static func fit(_ y: [Double], spec: ArimaSpec, conditioningLags: Int = 0, robust: Bool = false, start warm: [Double]? = nil) -> ArimaModel? {
        var w = y
        for _ in 0..<spec.d { w = Statistics.difference(w) }
        for _ in 0..<spec.seasonalD { w = Statistics.difference(w, lag: spec.period) }
        let maxLag = max(spec.p + spec.seasonalP * spec.period, conditioningLags)
        guard w.count > maxLag + spec.coefficientCount + 5 else { return nil }
        let wMean = Statistics.mean(w)
        let wScale = max(Statistics.variance(w).squareRoot(), 1e-9)
        let objective: ([Double]) -> Double = { u in
            let (ar, ma, mu) = decode(u, spec: spec, center: wMean, scale: wScale)
            let fit = css(w, ar: ar, ma: ma, mean: mu, start: maxLag)
            return robust ? fit.absoluteSum : fit.sse
        }
        let warm = warm.flatMap { $0.count == spec.coefficientCount ? $0 : nil }
        let start = warm ?? [Double](repeating: 0, count: spec.coefficientCount)
        let best = NelderMead.minimize(objective, start: start, step: warm == nil ? 0.3 : ArimaModel.warmStep,
                                       maxEvaluations: 300 * (start.count + 1), tolerance: warm == nil ? 1e-8 : ArimaModel.warmTolerance)
        let (ar, ma, mu) = decode(best.point, spec: spec, center: wMean, scale: wScale)
        let result = css(w, ar: ar, ma: ma, mean: mu, start: maxLag)
        let nUsed = Double(w.count - maxLag)
        let sigma2 = result.sse / nUsed
        guard sigma2.isFinite, sigma2 > 0 else { return nil }
        let k = Double(spec.coefficientCount + 1)
        let logLik = -0.5 * nUsed * (Double.log(2 * Double.pi * sigma2) + 1)
        let aicc = -2 * logLik + 2 * k + (nUsed - k - 1 > 0 ? 2 * k * (k + 1) / (nUsed - k - 1) : .infinity)
        return ArimaModel(spec: spec, ar: ar, ma: ma, mean: mu, sigma2: sigma2, aicc: aicc, point: best.point, history: y, differenced: w,
                          residuals: result.residuals)
    }

    /// The simplex size of a warm-started fit: a week more data moves the optimum by little.
    static let warmStep = 0.1
    /// The relative spread of the sum of squares at which a warm-started fit stops: its coefficients then
    /// agree to about 1e-3, far below what a week's more data moves them by.
    static let warmTolerance = 1e-6

    func forecast(horizon: Int) -> Forecast {
        var w = differenced.map { $0 - mean }
        var e = residuals
        for _ in 0..<horizon {
            let t = w.count
            var v = 0.0
            for term in ar where t - term.lag >= 0 { v += term.coefficient * w[t - term.lag] }
            for term in ma where t - term.lag >= 0 { v += term.coefficient * e[t - term.lag] }
            w.append(v)
            e.append(0)
        }
        let delta = LagPolynomial.differencing(d: spec.d, seasonalD: spec.seasonalD, period: spec.period)
        var y = history
        for h in 0..<horizon {
            let t = y.count
            var v = w[differenced.count + h] + mean
            for term in delta { v += term.coefficient * y[t - term.lag] }
            y.append(v)
        }
        let psi = psiWeights(count: horizon, fullAR: LagPolynomial.multiplyAR(ar, delta))
        var cumulative = 0.0
        var sd: [Double] = []
        for j in 0..<horizon {
            cumulative += psi[j] * psi[j]
            sd.append((sigma2 * cumulative).squareRoot())
        }
        return Forecast(mean: Array(y.suffix(horizon)), standardDeviation: sd)
    }

    private func psiWeights(count: Int, fullAR: LagPolynomial.Terms) -> [Double] {
        var psi = [Double](repeating: 0, count: max(count, 1))
        psi[0] = 1
        guard count > 1 else { return psi }
        for j in 1..<count {
            var v = ma.first { $0.lag == j }?.coefficient ?? 0
            for term in fullAR where term.lag <= j { v += term.coefficient * psi[j - term.lag] }
            psi[j] = v
        }
        return psi
    }

    private static func decode(_ u: [Double], spec: ArimaSpec, center: Double, scale: Double)
        -> (LagPolynomial.Terms, LagPolynomial.Terms, Double)
    {
        var i = 0
        func take(_ n: Int) -> [Double] { defer { i += n }; return u[i..<(i + n)].map { Double.tanh($0) } }
        let phi = LagPolynomial.fromPartialAutocorrelations(take(spec.p))
        let theta = LagPolynomial.fromPartialAutocorrelations(take(spec.q)).map { -$0 }
        let sPhi = LagPolynomial.fromPartialAutocorrelations(take(spec.seasonalP))
        let sTheta = LagPolynomial.fromPartialAutocorrelations(take(spec.seasonalQ)).map { -$0 }
        let mu = spec.includeConstant ? center + u[i] * scale : 0
        let m = spec.period
        let ar = LagPolynomial.multiplyAR(phi.enumerated().map { ($0 + 1, $1) }, sPhi.enumerated().map { (($0 + 1) * m, $1) })
        let ma = LagPolynomial.multiplyMA(theta.enumerated().map { ($0 + 1, $1) }, sTheta.enumerated().map { (($0 + 1) * m, $1) })
        return (ar, ma, mu)
    }

    /// The one-step errors from `start` on (earlier ones zero). This is the objective Nelder–Mead evaluates
    /// hundreds of times per fit, so it runs over raw buffers; the arithmetic, term by term in lag order,
    /// is that of the plain recursion in the type's comment.
    private static func css(_ w: [Double], ar: LagPolynomial.Terms, ma: LagPolynomial.Terms, mean: Double, start: Int)
        -> (sse: Double, absoluteSum: Double, residuals: [Double])
    {
        let count = w.count
        var e = [Double](repeating: 0, count: count)
        var sse = 0.0, absoluteSum = 0.0
        let arLags = ar.map(\.lag), arCoefficients = ar.map(\.coefficient)
        let maLags = ma.map(\.lag), maCoefficients = ma.map(\.coefficient)
        w.withUnsafeBufferPointer { w in
            e.withUnsafeMutableBufferPointer { e in
                arLags.withUnsafeBufferPointer { arLags in
                    arCoefficients.withUnsafeBufferPointer { arCoefficients in
                        maLags.withUnsafeBufferPointer { maLags in
                            maCoefficients.withUnsafeBufferPointer { maCoefficients in
                                guard start < count else { return }
                                for t in start..<count {
                                    var v = w[t] - mean
                                    for i in 0..<arLags.count { v -= arCoefficients[i] * (w[t - arLags[i]] - mean) }
                                    for i in 0..<maLags.count where t - maLags[i] >= 0 { v -= maCoefficients[i] * e[t - maLags[i]] }
                                    e[t] = v
                                    sse += v * v
                                    absoluteSum += abs(v)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (sse, absoluteSum, e)
    }
}
