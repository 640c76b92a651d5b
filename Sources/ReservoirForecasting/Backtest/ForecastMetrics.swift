/// Accuracy of forecasts against what happened, defined exactly as in forecast-backtest.md.
///
/// Pooled over every (origin, h) point: MAE; MAPE over points with y ≠ 0; sMAPE with 0/0 counted as 0;
/// the share of points inside the 80 % interval (cov80) and its mean width (width80). MASE, the headline,
/// is per origin: the origin's MAE over the in-sample MAE of the lag-24 seasonal naive on that origin's
/// training data, then the mean over origins.
public struct ForecastMetrics: Hashable, Sendable, Codable {
    public var mae: Double
    public var mape: Double
    public var smape: Double
    public var mase: Double
    public var cov80: Double
    public var width80: Double

    /// One origin's contribution: its forecast, the realised values, and its MASE scale.
    public struct Window: Sendable {
        public var forecast: Forecast
        public var actual: [Double]
        public var scale: Double

        public init(forecast: Forecast, actual: [Double], scale: Double) {
            self.forecast = forecast
            self.actual = actual
            self.scale = scale
        }
    }

    public init(mae: Double, mape: Double, smape: Double, mase: Double, cov80: Double, width80: Double) {
        self.mae = mae; self.mape = mape; self.smape = smape; self.mase = mase; self.cov80 = cov80; self.width80 = width80
    }

    public init(pooling windows: [Window]) {
        var absSum = 0.0, apeSum = 0.0, apeCount = 0, smapeSum = 0.0, covered = 0, widthSum = 0.0, points = 0
        var maseSum = 0.0
        for w in windows {
            var originAbs = 0.0
            for (h, y) in w.actual.enumerated() {
                let f = w.forecast.mean[h]
                let err = abs(y - f)
                absSum += err
                originAbs += err
                if y != 0 { apeSum += err / abs(y); apeCount += 1 }
                let denominator = abs(y) + abs(f)
                smapeSum += denominator == 0 ? 0 : 2 * err / denominator
                if w.forecast.lower80[h] <= y, y <= w.forecast.upper80[h] { covered += 1 }
                widthSum += w.forecast.upper80[h] - w.forecast.lower80[h]
                points += 1
            }
            maseSum += originAbs / Double(max(w.actual.count, 1)) / w.scale
        }
        let n = Double(max(points, 1))
        mae = absSum / n
        mape = apeCount == 0 ? 0 : 100 * apeSum / Double(apeCount)
        smape = 100 * smapeSum / n
        mase = maseSum / Double(max(windows.count, 1))
        cov80 = 100 * Double(covered) / n
        width80 = widthSum / n
    }
}
