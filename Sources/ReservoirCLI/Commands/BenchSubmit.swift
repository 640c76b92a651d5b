import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `reservoir bench submit`: durable submissions over HTTP. Starts its own server on a loopback port
/// (fresh data directory), then for each client count N submits M jobs with N closed-loop clients
/// (each sends its next job when the previous one is answered) and reports acknowledged
/// submissions/s, latency p50/p99/max, and the server's CPU seconds and RSS. A submission counts as
/// acknowledged only on its 201, which the server sends after the job's transaction committed.
/// With `--listers K`, K more clients list the newest 1,000 jobs in a loop while the submitters run
/// (reads beside writes). The clients run in this process, on the same cores as the server.
struct BenchSubmit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Measure acknowledged job submissions/s over HTTP against a server this command starts."
    )

    @Option(help: "Concurrent clients, one run each, comma-separated.") var clients = "1,8,32"
    @Option(help: "Submissions per client setting.") var jobs = 2000
    @Option(help: "An openb node list CSV to import as pool openb (default: a built-in pool of 16 nodes × 8 A100-80GB).") var nodes: String?
    @Option(help: "Clients listing GET /v1/jobs?limit=1000 in a loop while the submitters run.") var listers = 0
    @Flag(help: "Print one JSON object.") var json = false

    struct Setting: Codable {
        var clients: Int
        var jobs: Int
        var acknowledged: Int
        var errors: Int
        var seconds: Double
        var acknowledgedPerSecond: Double
        var p50Ms: Double
        var p99Ms: Double
        var maxMs: Double
        /// The server's user + system CPU seconds during this setting.
        var serverCPUSeconds: Double
        /// The server's RSS at the end of this setting.
        var serverRSSMiB: Double
        /// The first refusal or failure, when there was one (status and the start of the body, or the client's error).
        var firstError: String?
        var listers: Int
        /// Lists answered with a 200 while the submitters ran, and their median latency.
        var lists: Int
        var listP50Ms: Double

        enum CodingKeys: String, CodingKey {
            case clients, jobs, acknowledged, errors, seconds
            case acknowledgedPerSecond = "acknowledged_per_second", p50Ms = "p50_ms", p99Ms = "p99_ms", maxMs = "max_ms"
            case serverCPUSeconds = "server_cpu_seconds", serverRSSMiB = "server_rss_mib", firstError = "first_error"
            case listers, lists, listP50Ms = "list_p50_ms"
        }
    }

    struct Report: Codable {
        /// `debug` or `release`: debug figures are not comparable with release ones.
        var build: String
        var inventory: String
        var serverRSSStartMiB: Double
        var settings: [Setting]

        enum CodingKeys: String, CodingKey {
            case build, inventory, settings
            case serverRSSStartMiB = "server_rss_start_mib"
        }
    }

    /// The client counts, parsed from `--clients`.
    var clientCounts: [Int] { clients.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        let counts = clientCounts
        guard !counts.isEmpty, counts.count == clients.split(separator: ",").count, counts.allSatisfy({ (1...1024).contains($0) }) else {
            throw ValidationError("--clients must be a comma-separated list of counts 1…1024, e.g. 1,8,32")
        }
        guard (1...1_000_000).contains(jobs) else { throw ValidationError("--jobs must be 1…1000000") }
        guard (0...64).contains(listers) else { throw ValidationError("--listers must be 0…64") }
    }

    mutating func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reservoir-bench-submit-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pool = nodes == nil ? "bench" : "openb"
        var config: URL?
        if nodes == nil {
            config = directory.appendingPathComponent("bench.yaml")
            try Self.builtInCluster.write(to: config!, atomically: true, encoding: .utf8)
        }
        let server = try await BenchServer(directory: directory, config: config)
        defer { server.stop() }
        let api = APIClient(server: server.url, token: server.token)
        var inventory = "built-in: 16 nodes × 8 A100-80GB"
        if let nodes {
            let csv = try Data(contentsOf: URL(fileURLWithPath: nodes))
            _ = try await api.send(.POST, "/v1/import?format=openb&pool=openb&cluster=openb-sim&region=openb", body: csv, contentType: "text/csv")
            inventory = "openb: \(URL(fileURLWithPath: nodes).lastPathComponent) (\(String(decoding: csv, as: UTF8.self).split(separator: "\n").count - 1) nodes)"
        }
        _ = try await api.json(.POST, "/v1/tenants", ["id": "bench"])
        _ = try await api.json(.PUT, "/v1/quotas", ["tenant": "bench", "pool": pool, "guaranteed": 0, "limit": 100_000])

        var http = HTTPClient.Configuration()
        http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = (clientCounts.max() ?? 1) + listers
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
        var report = Report(build: Self.build, inventory: inventory, serverRSSStartMiB: server.rssMiB(), settings: [])
        do {
            for (round, count) in clientCounts.enumerated() {
                let target = Target(url: server.url + "/v1/jobs", token: server.token, pool: pool, round: round)
                let cpu0 = server.cpuSeconds()
                let listing = (0..<listers).map { _ in Task { await Self.list(target, with: client) } }
                let submitted: Result<BenchSubmissions.Tally, any Error>
                do { submitted = .success(try await Self.submit(jobs: jobs, clients: count, to: target, with: client)) } catch { submitted = .failure(error) }
                for task in listing { task.cancel() }
                var lists: [Double] = []
                for task in listing { lists += await task.value }
                let tally = try submitted.get()
                let (seconds, errors, firstError) = (tally.seconds, tally.errors, tally.firstError)
                let sorted = tally.acknowledged.map(\.latencyMs).sorted()
                report.settings.append(Setting(
                    clients: count, jobs: jobs, acknowledged: sorted.count, errors: errors, seconds: seconds,
                    acknowledgedPerSecond: Double(sorted.count) / seconds, p50Ms: BenchFigures.quantile(sorted: sorted, 0.5), p99Ms: BenchFigures.quantile(sorted: sorted, 0.99),
                    maxMs: sorted.last ?? 0, serverCPUSeconds: server.cpuSeconds() - cpu0, serverRSSMiB: server.rssMiB(), firstError: firstError,
                    listers: listers, lists: lists.count, listP50Ms: BenchFigures.quantile(sorted: lists.sorted(), 0.5)))
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        print(json ? try Self.encode(report) : Self.table(report))
    }

    /// Where and as whom the clients submit; `round` keeps job names unique across settings.
    struct Target: Sendable {
        var url: String
        var token: String
        var pool: String
        var round: Int
    }

    /// Submits `jobs` jobs with `clients` closed-loop clients (`BenchSubmissions`).
    static func submit(jobs: Int, clients: Int, to target: Target, with client: HTTPClient) async throws -> BenchSubmissions.Tally {
        try await BenchSubmissions.run(count: jobs, clients: clients, with: client) { i in
            var request = HTTPClientRequest(url: target.url)
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(target.token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body(name: "bench-\(target.round)-\(i)", pool: target.pool)))
            return request
        }
    }

    /// Lists the newest 1,000 jobs again and again until cancelled; returns the latency in ms of each 200.
    static func list(_ target: Target, with client: HTTPClient) async -> [Double] {
        let clock = ContinuousClock()
        var latencies: [Double] = []
        while !Task.isCancelled {
            var request = HTTPClientRequest(url: target.url + "?limit=1000")
            request.headers.add(name: "Authorization", value: "Bearer \(target.token)")
            let t0 = clock.now
            guard let response = try? await client.execute(request, timeout: .seconds(60)),
                  (try? await response.body.collect(upTo: 64 << 20)) != nil else {
                try? await Task.sleep(nanoseconds: 10_000_000)
                continue
            }
            if response.status == .ok { latencies.append(BenchFigures.milliseconds(t0.duration(to: clock.now))) }
        }
        return latencies
    }

    /// One job: a whole GPU for an hour of simulated time, for the tenant the benchmark made.
    static func body(name: String, pool: String) -> String {
        #"{"name":"\#(name)","tenant":"bench","pool":"\#(pool)","runtimeSeconds":3600,"request":{"gpus":1,"cpuMilli":1000,"memoryMiB":1024}}"#
    }

    /// The inventory used without `--nodes`.
    static let builtInCluster = """
        regions:
          - id: bench
            clusters:
              - id: bench-sim
                engine: simulated
                pools:
                  - id: bench
                    purpose: training
                    sharing: exclusive
                    nodes:
                      - name: bench-a100
                        count: 16
                        model: A100-80GB
                        gpus: 8
                        cpu: 128
                        memoryGiB: 1024

        """

    static var build: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    static func table(_ report: Report) -> String {
        var lines = ["reservoir bench submit (\(report.build) build, \(report.inventory); server RSS at start \(String(format: "%.1f", report.serverRSSStartMiB)) MiB)",
                     "clients   jobs  acked  errors  acked/s   p50 ms   p99 ms   max ms  server CPU s  RSS MiB"]
        for s in report.settings {
            lines.append(String(format: "%7d %6d %6d %7d %8.1f %8.1f %8.1f %8.1f %13.2f %8.1f",
                                s.clients, s.jobs, s.acknowledged, s.errors, s.acknowledgedPerSecond, s.p50Ms, s.p99Ms, s.maxMs, s.serverCPUSeconds, s.serverRSSMiB))
        }
        lines += report.settings.filter { $0.listers > 0 }.map { s in
            "\(s.clients) clients beside \(s.listers) listers: \(s.lists) lists (limit=1000), p50 \(String(format: "%.1f", s.listP50Ms)) ms"
        }
        lines += report.settings.compactMap { s in s.firstError.map { "\(s.clients) clients, first error: \($0)" } }
        return lines.joined(separator: "\n")
    }

    static func encode(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

}
