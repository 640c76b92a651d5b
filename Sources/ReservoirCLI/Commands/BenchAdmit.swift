import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `reservoir bench admit`: submissions to admissions, end to end. Starts its own server on a loopback
/// port (fresh data directory) with an openb inventory, submits `--jobs` jobs of `--gpu-milli` milli-GPU
/// each with `--clients` closed-loop clients, waits until none is queued, then reads every job's
/// events and reports the time from the first POST to the last admission and each job's
/// time-to-admit (its `admitted` event minus its `submitted` one, both the server's clock).
/// The jobs fit: half a GPU each by default, 10,000 of them ask 5,000 of openb's 6,212 GPUs.
struct BenchAdmit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admit",
        abstract: "Measure how fast submitted jobs are admitted (first POST to last admission, time-to-admit p50/p99) against a server this command starts."
    )

    @Option(help: "An openb node list CSV to import as pool openb.") var nodes: String
    @Option(help: "Jobs to submit.") var jobs = 10_000
    @Option(help: "Concurrent closed-loop submitting clients.") var clients = 32
    @Option(help: "Milli-GPU each job asks (a share of one GPU below 1000).") var gpuMilli = 500
    @Option(help: "Seconds to wait for the last admission before reporting what was admitted.") var timeout = 300.0
    @Flag(help: "Print one JSON object.") var json = false

    struct Report: Codable {
        /// `debug` or `release`: debug figures are not comparable with release ones.
        var build: String
        var inventory: String
        var jobs: Int
        var clients: Int
        var gpuMilli: Int
        var acknowledged: Int
        var errors: Int
        var firstError: String?
        /// First POST to the last 201.
        var submitSeconds: Double
        var admitted: Int
        /// First POST (client clock) to the last `admitted` event (server clock; same machine).
        var lastAdmittedSeconds: Double
        var timeToAdmitP50Ms: Double
        var timeToAdmitP99Ms: Double
        var timeToAdmitMaxMs: Double
        /// The server's user + system CPU seconds from the first POST to the last admission seen.
        var serverCPUSeconds: Double
        var serverRSSMiB: Double

        enum CodingKeys: String, CodingKey {
            case build, inventory, jobs, clients, acknowledged, errors, admitted
            case gpuMilli = "gpu_milli", firstError = "first_error", submitSeconds = "submit_seconds"
            case lastAdmittedSeconds = "last_admitted_seconds", timeToAdmitP50Ms = "time_to_admit_p50_ms"
            case timeToAdmitP99Ms = "time_to_admit_p99_ms", timeToAdmitMaxMs = "time_to_admit_max_ms"
            case serverCPUSeconds = "server_cpu_seconds", serverRSSMiB = "server_rss_mib"
        }
    }

    func validate() throws {
        guard (1...1_000_000).contains(jobs) else { throw ValidationError("--jobs must be 1…1000000") }
        guard (1...1024).contains(clients) else { throw ValidationError("--clients must be 1…1024") }
        guard (1...1000).contains(gpuMilli) else { throw ValidationError("--gpu-milli must be 1…1000") }
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be 0…86400 seconds") }
        guard FileManager.default.isReadableFile(atPath: nodes) else { throw ValidationError("--nodes: cannot read \(nodes)") }
    }

    mutating func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reservoir-bench-admit-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = try await BenchServer(directory: directory, config: nil)
        defer { server.stop() }
        let api = APIClient(server: server.url, token: server.token)
        let csv = try Data(contentsOf: URL(fileURLWithPath: nodes))
        _ = try await api.send(.POST, "/v1/import?format=openb&pool=openb&cluster=openb-sim&region=openb", body: csv, contentType: "text/csv")
        let inventory = "openb: \(URL(fileURLWithPath: nodes).lastPathComponent) (\(String(decoding: csv, as: UTF8.self).split(separator: "\n").count - 1) nodes)"
        _ = try await api.json(.POST, "/v1/tenants", ["id": "bench"])
        _ = try await api.json(.PUT, "/v1/quotas", ["tenant": "bench", "pool": "openb", "guaranteed": 0, "limit": 100_000])

        var http = HTTPClient.Configuration()
        http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = clients
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
        let report: Report
        do {
            report = try await measure(server: server, inventory: inventory, with: client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(Self.table(report))
        }
    }

    /// Submits, waits until nothing is queued (or `--timeout`), then reads each job's wait from its events.
    private func measure(server: BenchServer, inventory: String, with client: HTTPClient) async throws -> Report {
        let target = Target(url: server.url, token: server.token, gpuMilli: gpuMilli)
        let cpu0 = server.cpuSeconds()
        let firstPost = Date().timeIntervalSince1970
        let submitted = try await Self.submit(jobs: jobs, clients: clients, to: target, with: client)
        let submitSeconds = Date().timeIntervalSince1970 - firstPost
        let deadline = firstPost + timeout
        while try await Self.queued(target, with: client) > 0, Date().timeIntervalSince1970 < deadline {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let cpu = server.cpuSeconds() - cpu0
        let waits = try await Self.timesToAdmit(submitted.ids, clients: clients, to: target, with: client)
        let sorted = waits.map(\.wait).sorted().map { $0 * 1000 }
        return Report(
            build: BenchSubmit.build, inventory: inventory, jobs: jobs, clients: clients, gpuMilli: gpuMilli,
            acknowledged: submitted.ids.count, errors: submitted.errors, firstError: submitted.firstError, submitSeconds: submitSeconds,
            admitted: waits.count, lastAdmittedSeconds: (waits.map(\.admittedAt).max() ?? firstPost) - firstPost,
            timeToAdmitP50Ms: BenchFigures.quantile(sorted: sorted, 0.5), timeToAdmitP99Ms: BenchFigures.quantile(sorted: sorted, 0.99),
            timeToAdmitMaxMs: sorted.last ?? 0, serverCPUSeconds: cpu, serverRSSMiB: server.rssMiB())
    }

    /// Where and as whom the clients submit, and what each job asks.
    struct Target: Sendable {
        var url: String
        var token: String
        var gpuMilli: Int

        func request(_ path: String, _ method: HTTPMethod = .GET) -> HTTPClientRequest {
            var request = HTTPClientRequest(url: url + path)
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            return request
        }
    }

    private struct Created: Decodable { var id: String }
    private struct Event: Decodable {
        var at: Double
        var kind: String
    }

    /// Submits `jobs` jobs with `clients` closed-loop clients (`BenchSubmissions`); returns the ids acknowledged
    /// (201), how many got any other answer or none, and the first such.
    static func submit(jobs: Int, clients: Int, to target: Target, with client: HTTPClient) async throws -> (ids: [String], errors: Int, firstError: String?) {
        let tally = try await BenchSubmissions.run(count: jobs, clients: clients, with: client) { i in
            var request = target.request("/v1/jobs", .POST)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body(name: "admit-\(i)", gpuMilli: target.gpuMilli)))
            return request
        }
        var ids: [String] = [], errors = tally.errors
        for ack in tally.acknowledged {
            if let created = try? JSONDecoder().decode(Created.self, from: Data(buffer: ack.body)) { ids.append(created.id) } else { errors += 1 }
        }
        return (ids, errors, tally.firstError)
    }

    /// Jobs still queued (the list's `X-Total-Count`).
    static func queued(_ target: Target, with client: HTTPClient) async throws -> Int {
        let response = try await client.execute(target.request("/v1/jobs?state=queued&limit=1"), timeout: .seconds(60))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok, let total = response.headers.first(name: "X-Total-Count").flatMap(Int.init) else {
            throw BenchServerError.didNotStart("GET /v1/jobs?state=queued answered \(response.status.code)")
        }
        return total
    }

    /// Each admitted job's wait (its first `admitted` event minus its `submitted` one) and admission time, read with `clients` readers.
    static func timesToAdmit(_ ids: [String], clients: Int, to target: Target, with client: HTTPClient) async throws -> [(wait: Double, admittedAt: Double)] {
        try await withThrowingTaskGroup(of: [(wait: Double, admittedAt: Double)].self) { group in
            for c in 0..<clients {
                group.addTask {
                    var waits: [(wait: Double, admittedAt: Double)] = []
                    for i in stride(from: c, to: ids.count, by: clients) {
                        let response = try await client.execute(target.request("/v1/jobs/\(ids[i])/events?limit=100"), timeout: .seconds(60))
                        let events = try JSONDecoder().decode([Event].self, from: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
                        if let submitted = events.first(where: { $0.kind == "submitted" }), let admitted = events.first(where: { $0.kind == "admitted" }) {
                            waits.append((admitted.at - submitted.at, admitted.at))
                        }
                    }
                    return waits
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    /// One job: `gpuMilli` of one GPU for an hour, for the tenant the benchmark made.
    static func body(name: String, gpuMilli: Int) -> String {
        #"{"name":"\#(name)","tenant":"bench","pool":"openb","runtimeSeconds":3600,"request":{"gpus":1,"gpuMilli":\#(gpuMilli),"cpuMilli":1000,"memoryMiB":1024}}"#
    }

    static func table(_ r: Report) -> String {
        var lines = [
            "reservoir bench admit (\(r.build) build, \(r.inventory); \(r.jobs) jobs × \(r.gpuMilli) milli-GPU, \(r.clients) clients)",
            String(format: "submitted: %d acknowledged, %d errors in %.1f s (%.1f/s)", r.acknowledged, r.errors, r.submitSeconds, Double(r.acknowledged) / max(r.submitSeconds, 1e-9)),
            String(format: "admitted: %d; first POST to last admission %.1f s", r.admitted, r.lastAdmittedSeconds),
            String(format: "time to admit: p50 %.0f ms, p99 %.0f ms, max %.0f ms", r.timeToAdmitP50Ms, r.timeToAdmitP99Ms, r.timeToAdmitMaxMs),
            String(format: "server: %.1f CPU s, RSS %.1f MiB", r.serverCPUSeconds, r.serverRSSMiB),
        ]
        if let e = r.firstError { lines.append("first error: \(e)") }
        return lines.joined(separator: "\n")
    }
}
