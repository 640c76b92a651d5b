import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirHTTP
@testable import ReservoirServices
import ReservoirStore
import Testing

/// `/metrics` beyond the scheduler's gauges, from samples recorded in the telemetry store: utilization and memory per pool, model and tenant (bounded
/// labels; per device only when the operator turns it on), profile classes and unreliable devices,
/// services' replicas and scaling events; and the Grafana dashboard that draws them.
@Suite("Metrics: utilization, health and services series, and the Grafana dashboard", .serialized)
struct MetricsGrowthTests {
    static func reservoir(perDevice: Bool) throws -> Reservoir {
        var configuration = Reservoir.Configuration()
        configuration.metrics.perDeviceLabels = perDevice
        let reservoir = Reservoir(store: try SQLiteStore(path: nil), engine: SimulatedEngine(nodes: [], speed: 1000, clock: { Date().timeIntervalSince1970 }), configuration: configuration, logger: InProcessServer.quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        let op = try reservoir.access.authenticate(bearer: Fixture.operatorToken)
        _ = try reservoir.inventory.importDescription(yaml: ProfileMatchingTests.inventoryYAML.replacingOccurrences(of: "id: mix", with: "id: mx-metrics"), by: op)
        return reservoir
    }

    /// One minute of samples from every GPU of the pool (40 % busy, a quarter of memory in use), then a scrape.
    static func scrape(perDevice: Bool) throws -> String {
        let reservoir = try Self.reservoir(perDevice: perDevice)
        let devices = try reservoir.store.inventory().nodes.flatMap(\.devices)
        let at = reservoir.now() - 90
        _ = try reservoir.telemetry.record(devices.map { DeviceSample(device: $0.id, at: at, gpuUtilPercent: 40, memoryUsedMiB: $0.memoryMiB / 4) })
        _ = Observability.registry
        try reservoir.scrapeGauges.publish()
        return Observability.registry.emitToString()
    }

    @Test("utilization and memory per pool, model and tenant, classes and unreliable devices; no device label unless turned on; promtool accepts it")
    func scrapeGauges() async throws {
        let text = try Self.scrape(perDevice: false)
        #expect(text.contains(#"reservoir_pool_gpu_utilization_percent{pool="mx-metrics"} 40"#), "\(text)")
        #expect(text.contains(#"reservoir_pool_gpu_memory_used_ratio{pool="mx-metrics"} 0.25"#), "\(text)")
        #expect(text.contains(#"reservoir_model_gpu_utilization_percent{model="A100-40GB"} 40"#))
        #expect(text.contains(#"reservoir_profile_class_devices{class="low-latency"}"#))
        #expect(text.contains(#"reservoir_unreliable_devices{pool="mx-metrics"} 0"#) && text.contains(#"reservoir_device_faults_30d{pool="mx-metrics"} 0"#))
        #expect(!text.contains("reservoir_device_gpu_utilization_percent{"), "per-device series are off by default")
        ServiceGauges.adjusted(ServiceAdjustment(
            service: "chat", tenant: "alpha", at: 0, before: 1, after: 3, actor: "system:autoscaler", tier: .replicas, kind: .scaledOut, reason: "busy"))
        let withDevices = try Self.scrape(perDevice: true)
        #expect(withDevices.contains(#"reservoir_device_gpu_utilization_percent{pool="mx-metrics",device="a100/gpu0"} 40"#), "\(withDevices)")
        #expect(withDevices.contains(#"reservoir_service_scaling_events_total{service="chat",kind="scaled-out"} 1"#), "\(withDevices)")
        for line in withDevices.split(separator: "\n") where line.hasPrefix("reservoir_") && !line.hasPrefix("reservoir_device_") {
            #expect(!line.contains("device=") && !line.contains("job="), "a bounded family with a device or job label: \(line)")
        }
        let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(promtool != nil || ProcessInfo.processInfo.environment["CI"] == nil, "promtool is missing under CI")
        if let promtool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: promtool)
            process.arguments = ["check", "metrics"]
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data(withDevices.utf8))
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
            let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0 && said.isEmpty, "promtool check metrics: \(said)")
        }
    }

    @Test("a deployed service's replicas and a manual scaling show on /metrics of the running server")
    func servicesOnMetrics() async throws {
        try await InProcessServer.with { api, _ in
            let op = Fixture.operatorToken
            try await ProfilesTests.setUp(api)
            let spec: [String: Any] = [
                "name": "metrics-chat", "tenant": "alpha", "pool": "mix", "model": "tiny-bert", "request": ["cpuMilli": 100, "memoryMiB": 64],
                "replicas": ["min": 1, "max": 3], "sla": ["p99LatencyMs": 250, "peakQPS": 100],
            ]
            let deployed = try await api.post("/v1/services", token: op, json: spec)
            try #require(deployed.status == 201, "\(deployed.text)")
            let scaled = try await api.post("/v1/services/metrics-chat/scale", token: op, json: ["replicas": 2, "reason": "load test"])
            try #require(scaled.status == 200, "\(scaled.text)")
            var text = ""
            for _ in 0..<100 {
                text = try await api.get("/metrics", token: nil).text
                if text.contains(#"reservoir_service_replicas{service="metrics-chat"} 2"#) { break }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            #expect(text.contains(#"reservoir_service_replicas{service="metrics-chat"} 2"#), "\(text)")
            #expect(text.contains(#"reservoir_service_replicas_desired{service="metrics-chat"} 2"#))
            #expect(text.contains(#"reservoir_service_replicas_max{service="metrics-chat"} 3"#))
            #expect(text.contains(#"reservoir_service_scaling_events_total{service="metrics-chat",kind="manual"} 1"#))
        }
    }

    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// Every PromQL expression of the dashboard: panel targets and templating queries.
    static func expressions() throws -> [String] {
        let data = try Data(contentsOf: root.appendingPathComponent("deploy/grafana/reservoir.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var found: [String] = []
        for panel in dashboard["panels"] as? [[String: Any]] ?? [] {
            for target in panel["targets"] as? [[String: Any]] ?? [] { if let e = target["expr"] as? String { found.append(e) } }
        }
        let templating = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        for variable in templating { if let q = (variable["query"] as? [String: Any])?["query"] as? String { found.append(q) } }
        return found
    }

    @Test("every PromQL expression in deploy/grafana/reservoir.json names only metrics Reservoir exposes, and the dashboard draws every family")
    func dashboardNamesOnlyOurMetrics() throws {
        let expressions = try Self.expressions()
        #expect(expressions.count >= 20)
        let known = Set(MetricNames.all)
        let histograms = [MetricNames.cycleDuration]
        let name = try Regex(#"reservoir_[a-z0-9_]+"#)
        let selector = try Regex(#"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{"#)
        var used = Set<String>()
        for expr in expressions {
            let names = expr.matches(of: name).map { String(expr[$0.range]) }
            #expect(!names.isEmpty, "an expression naming no Reservoir metric: \(expr)")
            for n in names {
                let base = histograms.first { n == $0 + "_bucket" || n == $0 + "_sum" || n == $0 + "_count" } ?? n
                #expect(known.contains(base), "\(n) in \(expr) is not a metric Reservoir exposes")
                used.insert(base)
            }
            for match in expr.matches(of: selector) {
                let selected = String(expr[match.range]).dropLast().trimmingCharacters(in: .whitespaces)
                #expect(selected.hasPrefix("reservoir_") || ["by", "on", "without", "ignoring", "group_left", "group_right"].contains(selected),
                        "a selector of a metric Reservoir does not expose: \(selected) in \(expr)")
            }
        }
        #expect(used == known.subtracting([MetricNames.deviceUtilization.util, MetricNames.deviceUtilization.memory]), "drawn: \(used.sorted()), exposed: \(known.sorted())")
    }
}
