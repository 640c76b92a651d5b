import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirForecasting

/// Which part of the evaluation set `forecast backtest --evaluation-set` runs.
enum EvaluationChoice: String, ExpressibleByArgument, CaseIterable {
    case development, report, all

    func includes(_ part: EvaluationSeries.Part) -> Bool {
        switch self {
        case .all: true
        case .development: part == .development
        case .report: part == .report
        }
    }
}

/// The backtest of every series of the evaluation set, with a summary that sets `auto_ensemble` beside
/// the best of the well-known models on every row (losses included).
struct ForecastEvaluation: Encodable {
    /// The protocol's well-known models as this code measures them (auto-ARIMA, its ARIMA(1,1,1), ETS
    /// (A,Ad,A) m = 24, SARIMA(1,0,1)(0,1,1)24, naive, seasonal naive) and the planner's model.
    static let defaultModels = "naive,seasonal_naive_24,ets_damped_24,auto_arima,arima_111,arima_101_011_24,auto_ensemble"
    static let ours = "auto_ensemble"

    struct Series: Encodable {
        var name: String
        var part: String
        var report: BacktestReport
    }

    struct SummaryRow: Encodable {
        var series: String
        var part: String
        var horizon: Int
        var ensembleMASE: Double
        var ensembleCov80: Double
        var bestKnown: String
        var bestKnownMASE: Double

        enum CodingKeys: String, CodingKey {
            case series, part, horizon
            case ensembleMASE = "ensemble_mase", ensembleCov80 = "ensemble_cov80", bestKnown = "best_known", bestKnownMASE = "best_known_mase"
        }
    }

    var series: [Series]
    var summary: [SummaryRow]

    static func run(_ choice: EvaluationChoice, shared: String, models: [any Forecaster]) throws -> ForecastEvaluation {
        var all = EvaluationSet.synthetic()
        for variant in EvaluationSet.openbVariants {
            let path = "\(shared)/data/openb/openb_pod_list_\(variant).csv"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path) (give --shared)") }
            do {
                all += try EvaluationSet.openb(variant: variant, pods: OpenbTrace.parsePods(csv: text))
            } catch {
                throw ValidationError("\(path): \(error)")
            }
        }
        var out = ForecastEvaluation(series: [], summary: [])
        for s in all where choice.includes(s.part) {
            let rows = try ForecastBacktest.measure(models, on: s.values, plan: s.plan)
            out.series.append(Series(name: s.name, part: s.part.rawValue, report: BacktestReport(series: s.name, points: s.values.count, models: rows)))
            for h in s.plan.horizons {
                let here = rows.filter { $0.horizon == h }
                guard let ours = here.first(where: { $0.model == Self.ours }),
                      let best = here.filter({ $0.model != Self.ours }).min(by: { $0.mase < $1.mase }) else { continue }
                out.summary.append(SummaryRow(series: s.name, part: s.part.rawValue, horizon: h, ensembleMASE: ours.mase,
                                              ensembleCov80: ours.cov80, bestKnown: best.model, bestKnownMASE: best.mase))
            }
        }
        return out
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Every series' table, then the summary as a Markdown table (the one docs/BENCHMARKS.md shows).
    func text() -> String {
        var out = series.map { "[\($0.part)] " + $0.report.table() }.joined(separator: "\n")
        out += "\n| series | part | h | auto_ensemble MASE | cov80 % | best known | its MASE | ratio |\n|---|---|---|---|---|---|---|---|\n"
        for r in summary {
            out += "| \(r.series) | \(r.part) | \(r.horizon) | " + String(format: "%.3f | %.1f | ", r.ensembleMASE, r.ensembleCov80)
            out += "\(r.bestKnown) | " + String(format: "%.3f | %.3f |\n", r.bestKnownMASE, r.ensembleMASE / r.bestKnownMASE)
        }
        for part in EvaluationSeries.Part.allCases.map(\.rawValue) {
            let rows = summary.filter { $0.part == part }
            guard !rows.isEmpty else { continue }
            let wins = rows.filter { $0.ensembleMASE < $0.bestKnownMASE }.count
            let honest = rows.filter { (75...85).contains($0.ensembleCov80) }.count
            let ratio = exp(rows.map { log($0.ensembleMASE / $0.bestKnownMASE) }.reduce(0, +) / Double(rows.count))
            out += "\(part): auto_ensemble beats the best known model in \(wins) of \(rows.count) rows "
            out += String(format: "(geometric-mean ratio %.3f); cov80 within 75–85 %% in %d.\n", ratio, honest)
        }
        return out
    }
}
