import Foundation
import ReservoirComposition
import ReservoirServices
import Testing

extension SettingsLoaderTests {
    @Test("alerts: thresholds and the Alertmanager from the file reach the application and its channels; out-of-range or crossed thresholds name the key")
    func alerts() throws {
        let path = try Self.file("""
            alerts:
              saturationAbovePercent: 85
              saturationForSeconds: 120
              alertmanager: {url: "http://127.0.0.1:9093"}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try SettingsLoader.load(SettingsSources(file: path)).settings.applicationConfiguration.alerts
        #expect(configuration.saturationAbovePercent == 85 && configuration.forSeconds(.poolSaturated) == 120 && configuration.underuseBelowPercent == 50)
        #expect(configuration.alertmanager.url == "http://127.0.0.1:9093")
        let problems = Self.problems(SettingsSources(environment: [
            "RESERVOIR_ALERTS_LOW_EFFICIENCY_BELOW_PERCENT": "90", "RESERVOIR_ALERTS_SATURATION_ABOVE_PERCENT": "120",
            "RESERVOIR_ALERTS_ALERTMANAGER_URL": "alertmanager:9093", "RESERVOIR_ALERTS_PASS_INTERVAL_SECONDS": "0",
        ]))
        for key in ["alerts.lowEfficiencyBelowPercent", "alerts.saturationAbovePercent", "alerts.alertmanager.url", "alerts.passIntervalSeconds"] {
            #expect(problems.contains { $0.contains(key) }, "\(key): \(problems)")
        }
    }
}
