import Foundation
import Testing

/// Reservoir's `/metrics` as an operator's Prometheus sees it: `promtool check metrics` accepts the
/// exposition of a running `serve --demo`, and a real Prometheus (scripts/prometheus-dev.sh, started by
/// scripts/test.sh) scrapes it and answers, through its query API, the numbers Reservoir itself shows.
@Suite("Prometheus: a real Prometheus scrapes serve --demo and answers Reservoir's numbers", .serialized)
struct PrometheusTests {
    static let environment = ProcessInfo.processInfo.environment
    static var prometheusURL: String? { environment["RESERVOIR_PROMETHEUS"].flatMap { $0.isEmpty ? nil : $0 } }
    static var ci: Bool { environment["CI"].map { !$0.isEmpty } ?? false }
    /// The gauge families compared series by series, and the cycle histogram's count and +Inf bucket.
    static let gauges = ["reservoir_devices", "reservoir_allocated_gpus", "reservoir_queue_length"]
    static let cycleCount = "reservoir_scheduling_cycle_seconds_count"

    @Test(
        "promtool accepts /metrics; Prometheus' query API gives the same series and values as /metrics and the API",
        .enabled(if: PrometheusTests.prometheusURL != nil || PrometheusTests.ci, "RESERVOIR_PROMETHEUS is not set: `scripts/prometheus-dev.sh start` and export the two lines it prints (scripts/test.sh does; under CI this test fails instead)"))
    func prometheusReadsWhatReservoirShows() async throws {
        let url = try #require(Self.prometheusURL, "CI without RESERVOIR_PROMETHEUS: scripts/test.sh starts Prometheus with scripts/prometheus-dev.sh")
        let targets = try #require(Self.environment["RESERVOIR_PROMETHEUS_TARGETS"], "RESERVOIR_PROMETHEUS_TARGETS (printed by scripts/prometheus-dev.sh start) is not set")
        let prometheus = Prometheus(api: API(base: url))
        let binary = try #require(Executable.reservoir, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-prometheus")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try Child(binary, ["serve", "--demo", "--port", "0", "--data-dir", dir.appendingPathComponent("data").path, "--log-level", "warning"], directory: dir)
        defer { server.kill9() }
        let serverURL = try #require(await server.waitForLine(containing: "Reservoir is running at ", timeout: 60), "server did not start: \(server.stderr)")
        let token = try #require(await server.waitForLine(containing: "export RESERVOIR_TOKEN=", timeout: 5))
        let port = try #require(URLComponents(string: serverURL)?.port)
        let reservoir = API(port: port)
        let instance = "127.0.0.1:\(port)"

        // A few scheduling cycles, then promtool's lint of the real exposition: no problem reported.
        var exposition = Exposition(text: "")
        let cycles = Date().addingTimeInterval(30)
        while (exposition.values[Self.cycleCount] ?? 0) < 3, Date() < cycles {
            try await Task.sleep(nanoseconds: 50_000_000)
            exposition = Exposition(text: try await reservoir.get("/metrics", token: nil).text)
        }
        #expect((exposition.values[Self.cycleCount] ?? 0) >= 3, "no scheduling cycles in /metrics")
        let file = dir.appendingPathComponent("metrics.txt")
        try exposition.text.write(to: file, atomically: true, encoding: .utf8)
        let promtool = try Child(URL(fileURLWithPath: "/bin/sh"), ["-c", "exec promtool check metrics < '\(file.path)'"], directory: dir)
        let status = await promtool.wait(timeout: 30)
        #expect(status == 0 && (promtool.stdout + promtool.stderr).isEmpty, "promtool check metrics (\(String(describing: status))):\n\(promtool.stdout)\(promtool.stderr)")

        // Point Prometheus at this server (file discovery applies it within about 5 s) and wait for a scrape.
        let target = URL(fileURLWithPath: targets).appendingPathComponent("reservoir-test-\(port).json")
        try Data(#"[{"targets": ["\#(instance)"]}]"#.utf8).write(to: target, options: .atomic)
        defer { try? FileManager.default.removeItem(at: target) }
        var up: [Sample] = []
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, up.first?.value != 1 {
            try await Task.sleep(nanoseconds: 200_000_000)
            up = try await prometheus.query(#"up{instance="\#(instance)"}"#)
        }
        try #require(up.first?.value == 1, "Prometheus did not scrape \(instance) within 30 s: \(up)")

        // Series by series: a scrape between two equal reads of /metrics holds exactly their values.
        // The demo's job stream moves the gauges, so an attempt whose two reads differ is tried again.
        let selector = #"{__name__=~"\#((Self.gauges + [Self.cycleCount, "reservoir_scheduling_cycle_seconds_bucket"]).joined(separator: "|"))",instance="\#(instance)"}"#
        var matched = false
        var last = ""
        for _ in 0..<10 where !matched {
            let a = Exposition(text: try await reservoir.get("/metrics", token: nil).text)
            let before = Date().timeIntervalSince1970
            var scrape: Double?
            for _ in 0..<50 where scrape == nil {
                scrape = try await prometheus.query(#"timestamp(up{instance="\#(instance)"})"#).first.map(\.value).flatMap { $0 > before ? $0 : nil }
                if scrape == nil { try await Task.sleep(nanoseconds: 100_000_000) }
            }
            let b = Exposition(text: try await reservoir.get("/metrics", token: nil).text)
            let when = try #require(scrape, "no scrape of \(instance) within 5 s")
            let seen = try await prometheus.query(selector + "[5s]", at: Date().timeIntervalSince1970).filter { abs($0.time - when) < 0.001 }
            let series = Dictionary(seen.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            let gauges = a.values.filter { key, _ in Self.gauges.contains { key.hasPrefix($0 + "{") } }
            #expect(!gauges.isEmpty)
            let count = try #require(series[Self.cycleCount], "no cycle count in the scrape: \(seen)")
            #expect((a.values[Self.cycleCount] ?? .infinity) <= count && count <= (b.values[Self.cycleCount] ?? 0), "cycle count \(count) not between /metrics' \(a.values[Self.cycleCount] ?? -1) and \(b.values[Self.cycleCount] ?? -1)")
            #expect(series[#"reservoir_scheduling_cycle_seconds_bucket{le="+Inf"}"#] == count)
            guard gauges.allSatisfy({ b.values[$0.key] == $0.value }) else { last = "/metrics moved between reads"; continue }
            let differing = gauges.filter { series[$0.key] != $0.value }
            matched = differing.isEmpty
            last = differing.map { "\($0.key): /metrics \($0.value), Prometheus \(series[$0.key].map { "\($0)" } ?? "missing")" }.sorted().joined(separator: "\n")
        }
        #expect(matched, "Prometheus' series differ from /metrics:\n\(last)")

        // PromQL over the scraped series: devices by model and in all equal the inventory the API shows.
        let pools = try await reservoir.get("/v1/pools", token: token).array
        var inventory: [String: Double] = [:]
        for pool in pools {
            for (model, gpus) in pool["gpusByModel"] as? [String: Int] ?? [:] { inventory[model, default: 0] += Double(gpus) }
        }
        let byModel = try await prometheus.query(#"sum by (model) (reservoir_devices{instance="\#(instance)"})"#)
        #expect(Dictionary(byModel.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }) == Dictionary(inventory.map { (#"{model="\#($0.key)"}"#, $0.value) }, uniquingKeysWith: { $1 }))
        let total = try await prometheus.query(#"sum(reservoir_devices{instance="\#(instance)"})"#)
        #expect(total.first?.value == inventory.values.reduce(0, +) && !inventory.isEmpty, "\(total) vs \(inventory)")
    }
}

/// One sample from Prometheus' query API: its series (name and labels, less instance and job), time and value.
struct Sample: CustomStringConvertible {
    var key: String
    var time: Double
    var value: Double
    var description: String { "\(key) \(value) @\(time)" }
}

/// Prometheus' HTTP query API (`GET /api/v1/query`), vectors and matrices flattened into samples.
struct Prometheus {
    let api: API

    func query(_ promQL: String, at time: Double? = nil) async throws -> [Sample] {
        var path = "/api/v1/query?query=" + (promQL.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promQL)
        if let time { path += "&time=\(time)" }
        let reply = try await api.get(path, token: nil)
        try #require(reply.status == 200 && reply.object["status"] as? String == "success", "\(promQL): \(reply.status) \(reply.text)")
        let results = (reply.object["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
        return results.flatMap { result -> [Sample] in
            let labels = (result["metric"] as? [String: String] ?? [:]).filter { $0.key != "instance" && $0.key != "job" }
            let key = Exposition.key(name: labels["__name__"] ?? "", labels: labels.filter { $0.key != "__name__" })
            let points = result["values"] as? [[Any]] ?? (result["value"] as? [Any]).map { [$0] } ?? []
            return points.compactMap { point in
                guard point.count == 2, let time = point[0] as? Double, let value = (point[1] as? String).flatMap(Double.init) else { return nil }
                return Sample(key: key, time: time, value: value)
            }
        }
    }
}

/// The Prometheus text Reservoir serves, as values by series (`name{label="value",…}`, labels sorted).
struct Exposition {
    let text: String
    let values: [String: Double]

    init(text: String) {
        self.text = text
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            let name = series.prefix { $0 != "{" }
            var labels: [String: String] = [:]
            if let open = series.firstIndex(of: "{"), series.hasSuffix("}") {
                for pair in series[series.index(after: open)..<series.index(before: series.endIndex)].split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    if parts.count == 2 { labels[String(parts[0])] = String(parts[1].dropFirst().dropLast()) }
                }
            }
            values[Self.key(name: String(name), labels: labels)] = value
        }
        self.values = values
    }

    static func key(name: String, labels: [String: String]) -> String {
        labels.isEmpty ? name : name + "{" + labels.sorted { $0.key < $1.key }.map { #"\#($0.key)="\#($0.value)""# }.joined(separator: ",") + "}"
    }
}
