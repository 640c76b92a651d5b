import Foundation
import Testing
@testable import ReservoirForecasting

/// The capacity plan's forecast is pinned number for number: speed-ups of the fitting code must not move
/// it. The fixture was recorded before the speed-ups (set `RESERVOIR_RECORD_GOLDEN=1` to re-record after a
/// deliberate change of the models).
@Suite struct EnsembleGoldenTests {
    /// Four weeks of hourly GPU demand like the demo's: whole GPUs, a daily and a weekly cycle, noise.
    static func demandLikeHistory() -> [Double] {
        var rng = SeededRandom(seed: 12)
        return (0..<(28 * 24)).map { t in
            let level = 20 + 0.01 * Double(t) + 6 * sin(2 * Double.pi * Double(t) / 24) + 3 * cos(2 * Double.pi * Double(t) / 168)
            return max(0, (level + rng.gaussian(sd: 2)).rounded())
        }
    }

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ensemble-golden.json")

    @Test func planningForecastIsUnchanged() throws {
        let forecast = try AutoEnsemble.standard().forecast(Self.demandLikeHistory(), horizon: 14 * 24)
        if ProcessInfo.processInfo.environment["RESERVOIR_RECORD_GOLDEN"] != nil {
            try JSONEncoder().encode(forecast).write(to: Self.fixture)
            return
        }
        let expected = try JSONDecoder().decode(Forecast.self, from: Data(contentsOf: Self.fixture))
        for (name, got, want) in [("mean", forecast.mean, expected.mean), ("lower80", forecast.lower80, expected.lower80),
                                  ("upper80", forecast.upper80, expected.upper80)] {
            #expect(got.count == want.count, "\(name) length")
            let worst = zip(got, want).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-9, "\(name) moved by \(worst)")
        }
    }
}
