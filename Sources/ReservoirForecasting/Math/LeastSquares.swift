/// Ordinary least squares through the normal equations and a Cholesky factorisation.
///
/// The regressions here are small (an intercept, a trend and at most a few dozen Fourier columns), so
/// forming `XᵀX` is accurate enough and far cheaper than a QR; a tiny ridge keeps collinear designs
/// (a weekly harmonic that equals a daily one) solvable instead of failing.
enum LeastSquares {
    /// Coefficients `b` minimising `|y − X b|²`; `columns[i]` is the i-th column of X (shared arrays, no
    /// copy of the design per row).
    static func solve(columns: [[Double]], y: [Double]) -> [Double]? {
        let k = columns.count
        guard k > 0, columns.allSatisfy({ $0.count == y.count }) else { return nil }
        var a = [Double](repeating: 0, count: k * k)
        var b = [Double](repeating: 0, count: k)
        for i in 0..<k {
            columns[i].withUnsafeBufferPointer { ci in
                y.withUnsafeBufferPointer { y in
                    var s = 0.0
                    for t in 0..<y.count { s += ci[t] * y[t] }
                    b[i] = s
                }
                for j in 0...i {
                    columns[j].withUnsafeBufferPointer { cj in
                        var s = 0.0
                        for t in 0..<cj.count { s += ci[t] * cj[t] }
                        a[i * k + j] = s
                    }
                }
            }
        }
        for i in 0..<k {
            for j in 0..<i { a[j * k + i] = a[i * k + j] }
            a[i * k + i] += 1e-9 * (a[i * k + i] + 1)
        }
        return choleskySolve(a, b, k)
    }

    /// Solves `A x = b` for symmetric positive definite `A` (row-major, k×k).
    static func choleskySolve(_ a: [Double], _ b: [Double], _ k: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: k * k)
        for i in 0..<k {
            for j in 0...i {
                var s = a[i * k + j]
                for p in 0..<j { s -= l[i * k + p] * l[j * k + p] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * k + i] = s.squareRoot()
                } else {
                    l[i * k + j] = s / l[j * k + j]
                }
            }
        }
        var z = [Double](repeating: 0, count: k)
        for i in 0..<k {
            var s = b[i]
            for p in 0..<i { s -= l[i * k + p] * z[p] }
            z[i] = s / l[i * k + i]
        }
        var x = [Double](repeating: 0, count: k)
        for i in stride(from: k - 1, through: 0, by: -1) {
            var s = z[i]
            for p in (i + 1)..<k { s -= l[p * k + i] * x[p] }
            x[i] = s / l[i * k + i]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }
}
