import Foundation
import ReservoirForecasting

/// The backtest table as JSON (keys fixed by issue 6) or as aligned text.
struct BacktestReport: Encodable {
    struct Row: Encodable {
        var model: String
        var horizon: Int
        var mase: Double, mape: Double, smape: Double, mae: Double, cov80: Double, width80: Double
        var wallS: Double

        init(_ r: BacktestRow, wallSeconds: Double) {
            model = r.model
            horizon = r.horizon
            mase = r.metrics.mase; mape = r.metrics.mape; smape = r.metrics.smape; mae = r.metrics.mae
            cov80 = r.metrics.cov80; width80 = r.metrics.width80
            wallS = wallSeconds
        }

        enum CodingKeys: String, CodingKey {
            case model, horizon, mase, mape, smape, mae, cov80, width80
            case wallS = "wall_s"
        }
    }

    var series: String
    var points: Int
    var models: [Row]

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func table() -> String {
        var out = "series \(series) (\(points) points)\n"
        out += pad("model", 24) + pad("h", 5) + ["MASE", "MAE", "MAPE", "sMAPE", "cov80", "width80", "wall s"].map { pad($0, 9) }.joined() + "\n"
        for r in models.sorted(by: { ($0.horizon, $0.mase) < ($1.horizon, $1.mase) }) {
            out += pad(r.model, 24) + pad("\(r.horizon)", 5)
            out += [r.mase, r.mae, r.mape, r.smape, r.cov80, r.width80, r.wallS].enumerated()
                .map { pad(String(format: $0.offset == 0 ? "%.3f" : "%.2f", $0.element), 9) }.joined() + "\n"
        }
        return out
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}
