/// Derivative-free minimisation (Nelder–Mead simplex with the standard coefficients 1, 2, ½, ½).
///
/// Why this optimiser: the likelihoods of ETS and ARIMA are cheap to evaluate but their gradients are
/// awkward (recursions through every observation); R's `ets()` and `arima()` use the same method or BFGS
/// on numerical gradients. Parameters are passed unconstrained; models map them into their admissible
/// region (logistic or tanh transforms), so no constraint handling is needed here.
enum NelderMead {
    struct Result {
        var point: [Double]
        var value: Double
    }

    static func minimize(
        _ f: ([Double]) -> Double, start: [Double], step: Double = 0.5, maxEvaluations: Int = 2_000, tolerance: Double = 1e-8
    ) -> Result {
        let n = start.count
        if n == 0 { return Result(point: [], value: f([])) }
        var simplex = [start]
        for i in 0..<n {
            var p = start
            p[i] += step
            simplex.append(p)
        }
        var values = simplex.map { safe(f($0)) }
        var evaluations = n + 1
        while evaluations < maxEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if abs(values[n] - values[0]) <= tolerance * (abs(values[0]) + tolerance) { break }
            var centroid = [Double](repeating: 0, count: n)
            for p in simplex.dropLast() { for j in 0..<n { centroid[j] += p[j] / Double(n) } }
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
            let reflected = along(-1)
            let fr = safe(f(reflected)); evaluations += 1
            if fr < values[0] {
                let expanded = along(-2)
                let fe = safe(f(expanded)); evaluations += 1
                if fe < fr { simplex[n] = expanded; values[n] = fe } else { simplex[n] = reflected; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = reflected; values[n] = fr
            } else {
                let contracted = fr < values[n] ? along(-0.5) : along(0.5)
                let fc = safe(f(contracted)); evaluations += 1
                if fc < min(fr, values[n]) {
                    simplex[n] = contracted; values[n] = fc
                } else {
                    for i in 1...n {
                        simplex[i] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                        values[i] = safe(f(simplex[i]))
                    }
                    evaluations += n
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] } ?? 0
        return Result(point: simplex[best], value: values[best])
    }

    /// Non-finite objective values (overflowing recursions) count as the worst possible.
    private static func safe(_ v: Double) -> Double { v.isFinite ? v : .greatestFiniteMagnitude }
}
