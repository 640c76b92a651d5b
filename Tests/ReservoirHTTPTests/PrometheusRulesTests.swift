import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// The shipped Prometheus alerting rules (deploy/prometheus/reservoir-alerts.yml): the real
/// `promtool test rules` passes their unit tests (each rule fires and resolves, "for 5 minutes" not at
/// 4), and they name every built-in alert and only metrics Reservoir exposes.
@Suite("Prometheus alerting rules: promtool test rules")
struct PrometheusRulesTests {
    static let directory = MetricsGrowthTests.root.appendingPathComponent("deploy/prometheus")

    @Test("promtool check rules and promtool test rules pass on the shipped files")
    func promtoolTestRules() throws {
        let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(promtool != nil || ProcessInfo.processInfo.environment["CI"] == nil, "promtool is missing under CI (Debian's prometheus package)")
        guard let promtool else { return }
        for arguments in [["check", "rules", "reservoir-alerts.yml"], ["test", "rules", "reservoir-alerts.test.yml"]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: promtool)
            process.arguments = arguments
            process.currentDirectoryURL = Self.directory
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0 && said.contains("SUCCESS"), "promtool \(arguments.joined(separator: " ")):\n\(said)")
        }
    }

    @Test("the rules name every built-in alert with its severity, and only metrics Reservoir exposes")
    func rulesMatchTheBuiltInOnes() throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent("reservoir-alerts.yml"), encoding: .utf8)
        for rule in AlertRule.allCases {
            let block = try #require(text.range(of: "- alert: \(rule.alertName)\n"), "no rule \(rule.alertName)")
            let rest = text[block.upperBound...]
            let end = rest.range(of: "- alert: ")?.lowerBound ?? rest.endIndex
            #expect(rest[..<end].contains("severity: \(rule.severity.rawValue)"), "\(rule.alertName) severity")
        }
        let known = Set(MetricNames.all)
        for match in text.matches(of: try Regex(#"reservoir_[a-z0-9_]+"#)) {
            let name = String(text[match.range])
            #expect(known.contains(name) || name.hasSuffix("_gpu_"), "\(name) is not a metric Reservoir exposes")
        }
    }
}
