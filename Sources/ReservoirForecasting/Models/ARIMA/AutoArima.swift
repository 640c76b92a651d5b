/// Automatic ARIMA order selection, the Hyndman–Khandakar stepwise algorithm of R's `auto.arima`
/// (and of pmdarima, the baseline in forecast-backtest.md), implemented faithfully so that beating it means
/// something:
///
/// 1. `D` from the seasonal-strength test (`nsdiffs`), then `d` from repeated KPSS tests (`ndiffs`) on the
///    seasonally differenced series.
/// 2. Fit the four starting models (2,d,2)(1,D,1), (0,d,0)(0,D,0), (1,d,0)(1,D,0), (0,d,1)(0,D,1), with a
///    constant when d + D ≤ 1; keep the lowest AICc.
/// 3. Repeatedly try the neighbours of the current best (p, q, P, Q each ±1, p and q together ±1, P and Q
///    together ±1, constant toggled) within p, q ≤ 5, P, Q ≤ 2, p+q+P+Q ≤ 5; move to any improvement,
///    stop when none improves (at most 94 models, as in R).
///
/// Estimation is by conditional sum of squares (see `ArimaModel`); every candidate is scored on the same
/// observations (those after the largest admissible AR lag), which keeps their AICc comparable.
///
/// `robust` keeps the order this search selects and re-estimates its coefficients by least absolute
/// deviations (see `ArimaModel`); the selection itself stays likelihood-based, as in R.
public struct AutoArima: Forecaster {
    public var period: Int
    public var robust: Bool
    public var maxP = 5, maxQ = 5, maxSeasonalP = 2, maxSeasonalQ = 2, maxOrder = 5
    /// `auto_arima`, `auto_arima_robust`; with `period` 1 (no seasonal terms) `auto_arima_nonseasonal`.
    public var name: String { (period == 1 ? "auto_arima_nonseasonal" : "auto_arima") + (robust ? "_robust" : "") }

    public init(period: Int = 24, robust: Bool = false) {
        self.period = period
        self.robust = robust
    }

    public func forecast(_ history: [Double], horizon: Int) throws(ForecastError) -> Forecast {
        guard let model = select(history) else { throw ForecastError(.fitFailed, "no ARIMA model could be fitted") }
        return model.forecast(horizon: horizon)
    }

    /// The selected order for `history` (for reports and tests).
    public func selectedSpec(_ history: [Double]) -> ArimaSpec? { select(history)?.spec }

    /// The search's inputs other than the data: two searches with equal keys select the same order, which
    /// lets the ensemble run one search for the plain and the robust variant.
    struct SearchKey: Hashable { var period, maxP, maxQ, maxSeasonalP, maxSeasonalQ, maxOrder: Int }
    var searchKey: SearchKey { SearchKey(period: period, maxP: maxP, maxQ: maxQ, maxSeasonalP: maxSeasonalP, maxSeasonalQ: maxSeasonalQ, maxOrder: maxOrder) }

    /// The forecast of the model `select` would return when its search picks `order` (the same fit, so the
    /// same numbers), without running the search.
    func forecast(_ y: [Double], horizon: Int, order: ArimaSpec, start: [Double]? = nil) throws(ForecastError) -> Forecast {
        let lags = maxP + maxSeasonalP * order.period
        let model = robust ? ArimaModel.fit(y, spec: order, conditioningLags: lags, robust: true, start: start)
            ?? ArimaModel.fit(y, spec: order, conditioningLags: lags, start: start)
            : ArimaModel.fit(y, spec: order, conditioningLags: lags, start: start)
        guard let model else { throw ForecastError(.fitFailed, "\(order) could not be fitted") }
        return model.forecast(horizon: horizon)
    }

    func select(_ y: [Double]) -> ArimaModel? {
        let best = search(y)
        guard robust, let best else { return best }
        // The least-absolute-deviations fit starts from the least-squares optimum (as IRLS starts from OLS),
        // the same start the ensemble's refits at later cuts get.
        return ArimaModel.fit(y, spec: best.spec, conditioningLags: maxP + maxSeasonalP * best.spec.period, robust: true, start: best.point) ?? best
    }

    /// The stepwise search: the least-squares model of the lowest AICc.
    private func search(_ y: [Double]) -> ArimaModel? {
        let m = y.count >= 3 * period ? period : 1
        let seasonalD = m > 1 ? UnitRootTests.nsdiffs(y, period: m) : 0
        let seasonallyDifferenced = seasonalD == 1 ? Statistics.difference(y, lag: m) : y
        let d = UnitRootTests.ndiffs(seasonallyDifferenced)
        let constant = d + seasonalD <= 1
        func spec(_ p: Int, _ q: Int, _ sp: Int, _ sq: Int, _ c: Bool) -> ArimaSpec {
            ArimaSpec(p: p, d: d, q: q, seasonalP: m > 1 ? sp : 0, seasonalD: seasonalD, seasonalQ: m > 1 ? sq : 0,
                      period: m, includeConstant: c)
        }
        var tried: Set<ArimaSpec> = []
        var best: ArimaModel?
        func consider(_ s: ArimaSpec) -> Bool {
            guard s.p >= 0, s.q >= 0, s.seasonalP >= 0, s.seasonalQ >= 0, s.p <= maxP, s.q <= maxQ,
                  s.seasonalP <= maxSeasonalP, s.seasonalQ <= maxSeasonalQ,
                  s.p + s.q + s.seasonalP + s.seasonalQ <= maxOrder, !tried.contains(s), tried.count < 94 else { return false }
            tried.insert(s)
            guard let fitted = ArimaModel.fit(y, spec: s, conditioningLags: maxP + maxSeasonalP * m), fitted.aicc.isFinite else { return false }
            if fitted.aicc < (best?.aicc ?? .infinity) - 1e-9 { best = fitted; return true }
            return false
        }
        for s in [spec(2, 2, 1, 1, constant), spec(0, 0, 0, 0, constant), spec(1, 0, 1, 0, constant), spec(0, 1, 0, 1, constant)] {
            _ = consider(s)
        }
        if constant { _ = consider(spec(0, 0, 0, 0, false)) }
        var improved = true
        while improved, let current = best?.spec {
            improved = false
            for n in neighbours(current, constantAllowed: constant) where consider(n) {
                improved = true
                break
            }
        }
        return best
    }

    private func neighbours(_ s: ArimaSpec, constantAllowed: Bool) -> [ArimaSpec] {
        var out: [ArimaSpec] = []
        func with(_ dp: Int, _ dq: Int, _ dP: Int, _ dQ: Int) {
            var n = s
            n.p += dp; n.q += dq
            if s.period > 1 { n.seasonalP += dP; n.seasonalQ += dQ } else if dP != 0 || dQ != 0 { return }
            out.append(n)
        }
        for (dP, dQ) in [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1)] { with(0, 0, dP, dQ) }
        for (dp, dq) in [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1)] { with(dp, dq, 0, 0) }
        if constantAllowed {
            var n = s
            n.includeConstant.toggle()
            out.append(n)
        }
        return out
    }
}

extension AutoArima: StructureSearching {
    /// The order the search picks and its least-squares optimum, the warm start of the refits at later cuts.
    struct Structure: Sendable { var order: ArimaSpec, start: [Double] }
    var structureKey: String { "auto_arima \(searchKey)" }
    func structure(_ y: [Double]) -> Structure? { search(y).map { Structure(order: $0.spec, start: $0.point) } }
    func forecast(_ y: [Double], horizon: Int, structure: Structure) throws(ForecastError) -> Forecast {
        try forecast(y, horizon: horizon, order: structure.order, start: structure.start)
    }
}
