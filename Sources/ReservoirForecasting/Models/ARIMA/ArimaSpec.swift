/// The order of a seasonal ARIMA(p,d,q)(P,D,Q)m model, with or without a constant (mean or drift).
public struct ArimaSpec: Hashable, Sendable, Codable, CustomStringConvertible {
    public var p: Int, d: Int, q: Int
    public var seasonalP: Int, seasonalD: Int, seasonalQ: Int
    public var period: Int
    public var includeConstant: Bool

    public init(p: Int, d: Int, q: Int, seasonalP: Int = 0, seasonalD: Int = 0, seasonalQ: Int = 0, period: Int = 1,
                includeConstant: Bool = false) {
        self.p = p; self.d = d; self.q = q
        self.seasonalP = seasonalP; self.seasonalD = seasonalD; self.seasonalQ = seasonalQ
        self.period = period
        self.includeConstant = includeConstant
    }

    /// Number of estimated coefficients, σ² excluded.
    var coefficientCount: Int { p + q + seasonalP + seasonalQ + (includeConstant ? 1 : 0) }

    public var description: String {
        let constant = includeConstant ? (d + seasonalD == 0 ? " with mean" : " with drift") : ""
        guard period > 1, seasonalP + seasonalD + seasonalQ > 0 else { return "ARIMA(\(p),\(d),\(q))\(constant)" }
        return "ARIMA(\(p),\(d),\(q))(\(seasonalP),\(seasonalD),\(seasonalQ))[\(period)]\(constant)"
    }
}

/// Sparse lag polynomials: `[(lag, coefficient)]`, the representation every ARIMA recursion uses so a
/// seasonal term at lag 24 or 48 costs one multiply instead of a 48-long convolution.
enum LagPolynomial {
    typealias Terms = [(lag: Int, coefficient: Double)]

    /// `1 − Σ a_l Bˡ` as the terms `a_l`, from the product of two such polynomials.
    static func multiplyAR(_ x: Terms, _ y: Terms) -> Terms {
        // One factor empty (every non-seasonal model, at every likelihood evaluation): the product is the
        // other factor without its zero terms, exactly what the general case computes, minus its hashing.
        product(x, y, sign: -1)
    }

    /// `1 + Σ b_l Bˡ` as the terms `b_l`, from the product of two such polynomials.
    static func multiplyMA(_ x: Terms, _ y: Terms) -> Terms {
        product(x, y, sign: 1)
    }

    /// `x + y + sign · x·y` term by term, summed per lag in that order (the likelihood evaluates it at every
    /// step, so a dense array over the lags rather than a dictionary), zero terms dropped, lags ascending.
    private static func product(_ x: Terms, _ y: Terms, sign: Double) -> Terms {
        if let single = single(x, y) { return single }
        let maxLag = (x.map(\.lag).max() ?? 0) + (y.map(\.lag).max() ?? 0)
        var out = [Double](repeating: 0, count: maxLag + 1)
        for t in x { out[t.lag] += t.coefficient }
        for t in y { out[t.lag] += t.coefficient }
        for a in x { for b in y { out[a.lag + b.lag] += sign * (a.coefficient * b.coefficient) } }
        return out.indices.compactMap { out[$0] != 0 ? ($0, out[$0]) : nil }
    }

    /// When one factor is empty and the other has strictly increasing lags: that factor without zero terms.
    private static func single(_ x: Terms, _ y: Terms) -> Terms? {
        let only = y.isEmpty ? x : x.isEmpty ? y : nil
        guard let only, zip(only, only.dropFirst()).allSatisfy({ $0.lag < $1.lag }) else { return nil }
        return only.filter { $0.coefficient != 0 }
    }

    /// Terms of `(1−B)^d (1−B^m)^D` written as `1 − Σ δ_i Bⁱ`.
    static func differencing(d: Int, seasonalD: Int, period: Int) -> Terms {
        var terms: Terms = []
        for _ in 0..<d { terms = multiplyAR(terms, [(1, 1)]) }
        for _ in 0..<seasonalD { terms = multiplyAR(terms, [(period, 1)]) }
        return terms
    }

    /// Coefficients of a stationary AR polynomial from partial autocorrelations in (−1, 1)
    /// (Durbin–Levinson), the reparameterisation R's `arima(transform.pars = TRUE)` uses.
    static func fromPartialAutocorrelations(_ r: [Double]) -> [Double] {
        var phi: [Double] = []
        for (k, rk) in r.enumerated() {
            var next = phi
            for j in 0..<k { next[j] = phi[j] - rk * phi[k - 1 - j] }
            next.append(rk)
            phi = next
        }
        return phi
    }
}
