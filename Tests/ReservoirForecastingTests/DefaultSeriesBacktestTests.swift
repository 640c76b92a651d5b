import Foundation
import ReservoirCore
import Testing
@testable import ReservoirForecasting
import ReservoirTestSupport

/// The protocol's figures on the openb default series (forecast-backtest.md, docs/BENCHMARKS.md), pinned
/// within a tolerance that covers floating-point differences between platforms, not a change of model:
/// a change that moves them must update BENCHMARKS.md and this test together.
@Suite struct DefaultSeriesBacktestTests {
    static let pods = "data/openb/openb_pod_list_default.csv"

    struct Pin { var model: String, column: String, horizon: Int, mase: Double, cov80: Double }

    static let pins: [Pin] = [
        Pin(model: "auto_ensemble", column: "gpu_in_use", horizon: 24, mase: 0.665, cov80: 83.33),
        Pin(model: "auto_ensemble", column: "gpu_in_use", horizon: 168, mase: 1.055, cov80: 74.49),
        Pin(model: "auto_ensemble", column: "gpu_arrived", horizon: 24, mase: 1.024, cov80: 76.28),
        Pin(model: "auto_ensemble", column: "gpu_arrived", horizon: 168, mase: 0.838, cov80: 83.84),
        // The well-known baselines, as the protocol's table has them (0.677 / 1.077 and 1.033 / 0.878).
        Pin(model: "arima_111", column: "gpu_in_use", horizon: 24, mase: 0.679, cov80: 83.33),
        Pin(model: "arima_111", column: "gpu_in_use", horizon: 168, mase: 1.084, cov80: 93.79),
        Pin(model: "arima_101_011_24", column: "gpu_arrived", horizon: 24, mase: 1.033, cov80: 72.12),
        Pin(model: "arima_101_011_24", column: "gpu_arrived", horizon: 168, mase: 0.871, cov80: 80.78),
    ]

    @Test(SharedData.required(Self.pods))
    func protocolFiguresOnTheDefaultSeries() throws {
        guard let csv = try SharedData.text(Self.pods) else { return }
        let series = try OpenbDemandSeries.derive(from: OpenbTrace.parsePods(csv: csv))
        let models = ModelRegistry.standard()
        for column in ["gpu_in_use", "gpu_arrived"] {
            let y = column == "gpu_in_use" ? series.gpuInUse : series.gpuArrived
            for name in Set(Self.pins.filter { $0.column == column }.map(\.model)) {
                let model = try #require(models.first { $0.name == name })
                let rows = try Backtester.run(model, on: y, plan: .openbProtocol)
                for pin in Self.pins where pin.model == name && pin.column == column {
                    let row = try #require(rows.first { $0.horizon == pin.horizon })
                    #expect(abs(row.metrics.mase - pin.mase) < 0.002, "\(name) \(column) \(pin.horizon) h MASE \(row.metrics.mase)")
                    #expect(abs(row.metrics.cov80 - pin.cov80) < 0.02, "\(name) \(column) \(pin.horizon) h cov80 \(row.metrics.cov80)")
                }
            }
        }
    }
}
