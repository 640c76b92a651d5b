import ArgumentParser
import Foundation
import Logging
import ReservoirComposition
import ReservoirCore
import ReservoirServices
import ReservoirStore

/// `reservoir bench seed`: fills a fresh data directory with a big, realistic job history (store-level
/// inserts, thousands per transaction, not HTTP submissions), so a server's start-up time and memory
/// over 100,000 jobs can be measured. The inventory is the built-in pool of `bench submit` or an openb
/// node list; four tenants share it. With `--measure-start` it then starts `serve` on the directory and
/// reports the seconds until /readyz answers, the RSS then, and RSS and CPU after `--settle` seconds.
struct BenchSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill a fresh data directory with a job history (mostly ended jobs), optionally time a server's start on it.",
        discussion: "Then: reservoir serve --data-dir DIR (the inventory and tenants are in the database; no --config needed)."
    )

    @Option(help: "The data directory to fill (must not hold a database yet).") var dataDir: String
    @Option(help: "Jobs to write.") var jobs = 100_000
    @Option(help: "Of those, jobs left waiting (queued), submitted in the last hour (default: 1 %).") var queued: Int?
    @Option(help: "Days of history the ended jobs are spread over.") var days = 30.0
    @Option(help: "An openb node list CSV to import as pool openb (default: the built-in pool of 16 nodes × 8 A100-80GB).") var nodes: String?
    @Option(help: "Seed of the generator (the same seed writes the same history).") var seed: UInt64 = 18
    @Flag(help: "After seeding, start `serve` on the directory and report start-up time, RSS and CPU.") var measureStart = false
    @Option(help: "With --measure-start: seconds to keep the server running after /readyz before the last RSS and CPU reading.") var settle = 10.0
    @Flag(help: "Print one JSON object.") var json = false

    static let tenants: [TenantID] = ["seed-a", "seed-b", "seed-c", "seed-d"]
    /// Jobs per transaction: large enough that the fsync per commit does not dominate, small enough to show progress.
    static let batch = 5_000

    var waiting: Int { queued ?? jobs / 100 }

    func validate() throws {
        guard (1...1_000_000).contains(jobs) else { throw ValidationError("--jobs must be 1…1000000") }
        guard (0...jobs).contains(waiting) else { throw ValidationError("--queued must be 0…--jobs") }
        guard days > 0, days <= 3650 else { throw ValidationError("--days must be in (0, 3650]") }
        guard settle >= 0, settle <= 3600 else { throw ValidationError("--settle must be 0…3600 seconds") }
        let database = (dataDir as NSString).appendingPathComponent("reservoir.sqlite")
        guard !FileManager.default.fileExists(atPath: database) else {
            throw ValidationError("--data-dir \(dataDir) already holds a database (\(database)); seed a fresh directory")
        }
    }

    struct StartFigures: Codable {
        /// From launching `serve` to /readyz answering.
        var readySeconds: Double
        var cpuSecondsToReady: Double
        var rssReadyMiB: Double
        /// From launching `serve` to its first scheduling cycle done (the cycle counter of /metrics), which
        /// reads the job history (profiles, runtime predictor): the start is over only then.
        var firstCycleSeconds: Double
        var settleSeconds: Double
        var rssSettledMiB: Double
        /// The most RSS the server had by the end (VmHWM).
        var rssPeakMiB: Double
        /// CPU over the settle window (after the first cycle).
        var cpuPercentSettled: Double

        enum CodingKeys: String, CodingKey {
            case readySeconds = "ready_seconds", cpuSecondsToReady = "cpu_seconds_to_ready", rssReadyMiB = "rss_ready_mib"
            case firstCycleSeconds = "first_cycle_seconds", settleSeconds = "settle_seconds", rssSettledMiB = "rss_settled_mib"
            case rssPeakMiB = "rss_peak_mib", cpuPercentSettled = "cpu_percent_settled"
        }
    }

    struct Report: Codable {
        var build: String
        var dataDir: String
        var inventory: String
        var jobs: Int
        var byState: [String: Int]
        var seconds: Double
        var databaseMiB: Double
        var start: StartFigures?

        enum CodingKeys: String, CodingKey {
            case build, inventory, jobs, seconds, start
            case dataDir = "data_dir", byState = "by_state", databaseMiB = "database_mib"
        }
    }

    mutating func run() async throws {
        let clock = ContinuousClock()
        let began = clock.now
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let dataDir = URL(fileURLWithPath: self.dataDir).standardizedFileURL.path
        let (store, pool, inventory) = try await prepare(dataDir: dataDir)
        let poolNodes = try store.inventory().nodes.filter { $0.pool == pool && $0.gpuCount > 0 }.map { (id: $0.id, gpus: $0.gpuCount) }
        guard !poolNodes.isEmpty else { throw ValidationError("pool \(pool) has no GPU nodes") }
        let now = Date().timeIntervalSince1970
        let history = SeedHistory(tenants: Self.tenants, pool: pool, nodes: poolNodes, now: now, days: days)
        var rng = SplitMix64(seed: seed)
        var byState: [String: Int] = [:]
        let who = Attribution(actor: "user:admin", at: now)
        // The waiting jobs come last, as the newest.
        for start in stride(from: 0, to: jobs, by: Self.batch) {
            let chunk = (start..<min(jobs, start + Self.batch)).map { history.job($0, queued: $0 >= jobs - waiting, using: &rng) }
            for item in chunk { byState[item.job.state.rawValue, default: 0] += 1 }
            try store.seedJobs(chunk, by: who)
            if !json { FileHandle.standardError.write(Data("\rseeded \(start + chunk.count) of \(jobs) jobs".utf8)) }
        }
        if !json { FileHandle.standardError.write(Data("\n".utf8)) }
        let seconds = BenchFigures.milliseconds(began.duration(to: clock.now)) / 1000
        let size = (try? FileManager.default.contentsOfDirectory(atPath: dataDir))?.filter { $0.hasPrefix("reservoir.sqlite") }
            .compactMap { try? FileManager.default.attributesOfItem(atPath: (dataDir as NSString).appendingPathComponent($0))[.size] as? Int }
            .reduce(0, +) ?? 0
        var report = Report(build: BenchSubmit.build, dataDir: dataDir, inventory: inventory, jobs: jobs, byState: byState,
                            seconds: seconds, databaseMiB: Double(size) / 1_048_576)
        if measureStart { report.start = try await Self.measureStart(dataDir: URL(fileURLWithPath: dataDir), settle: settle) }
        print(json ? try Self.encode(report) : Self.table(report))
    }

    /// Opens the directory's database through the composition root (as `serve` would), imports the
    /// inventory and makes the tenants with room in the pool; returns the store, the pool and a label.
    private func prepare(dataDir: String) async throws -> (SQLiteStore, PoolID, String) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reservoir-bench-seed-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var file: String?
        if nodes == nil {
            file = scratch.appendingPathComponent("bench.yaml").path
            try BenchSubmit.builtInCluster.write(toFile: file!, atomically: true, encoding: .utf8)
        }
        let loaded = try SettingsLoader.load(SettingsSources(file: file, flags: [FlagOverride(key: "server.dataDir", value: dataDir, flag: "--data-dir")]))
        let root = try await CompositionRoot.build(loaded, source: "bench seed", logger: Logger(label: "reservoir-bench-seed"))
        let admin = Principal(user: User(id: "admin", roles: [.operator_]))
        try root.importDescription(by: admin)
        var pool: PoolID = "bench", inventory = "built-in: 16 nodes × 8 A100-80GB"
        if let nodes {
            let csv = try String(contentsOfFile: nodes, encoding: .utf8)
            pool = "openb"
            let imported = try root.reservoir.inventory.importOpenb(csv: csv, pool: pool, cluster: "openb-sim", region: "openb", by: admin)
            inventory = "openb: \(URL(fileURLWithPath: nodes).lastPathComponent) (\(imported.nodes.filter { $0.pool == pool }.count) nodes)"
        }
        for tenant in Self.tenants {
            _ = try root.reservoir.tenancy.createTenant(Tenant(id: tenant), by: admin)
            _ = try root.reservoir.tenancy.setQuota(Quota(tenant: tenant, pool: pool, guaranteedMilli: 0, limitMilli: 100_000_000), by: admin)
        }
        return (root.store, pool, inventory)
    }

    /// Starts `serve` on the seeded directory (kept afterwards) and reads its start-up figures from /proc.
    static func measureStart(dataDir: URL, settle: Double) async throws -> StartFigures {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reservoir-bench-seed-start-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let clock = ContinuousClock()
        let began = clock.now
        let server = try await BenchServer(directory: scratch, config: nil, data: dataDir)
        defer { server.stop() }
        let api = APIClient(server: server.url, token: "")
        while (try? await api.get("/readyz")) == nil { try await Task.sleep(nanoseconds: 20_000_000) }
        let ready = BenchFigures.milliseconds(began.duration(to: clock.now)) / 1000
        let cpuReady = server.cpuSeconds(), rssReady = server.rssMiB()
        // Each scrape costs the server a gauge pass, so the counter is read only twice a second; a scrape
        // that times out (a start busy decoding its history) is retried, for at most 10 minutes.
        while ((try? await cyclesDone(api)) ?? 0) < 1 {
            guard began.duration(to: clock.now) < .seconds(600) else { throw BenchSeedError.noCycle }
            try await Task.sleep(nanoseconds: 500_000_000)
        }
        let firstCycle = BenchFigures.milliseconds(began.duration(to: clock.now)) / 1000
        let cpuCycled = server.cpuSeconds()
        try await Task.sleep(nanoseconds: UInt64(settle * 1e9))
        let cpuSettled = server.cpuSeconds()
        return StartFigures(readySeconds: ready, cpuSecondsToReady: cpuReady, rssReadyMiB: rssReady, firstCycleSeconds: firstCycle, settleSeconds: settle,
                            rssSettledMiB: server.rssMiB(), rssPeakMiB: server.peakRSSMiB(),
                            cpuPercentSettled: settle > 0 ? 100 * (cpuSettled - cpuCycled) / settle : 0)
    }

    /// The server's completed scheduling cycles (reservoir_scheduling_cycle_seconds_count, summed over its labels).
    static func cyclesDone(_ api: APIClient) async throws -> Double {
        let text = String(decoding: try await api.get("/metrics").data, as: UTF8.self)
        return text.split(separator: "\n").filter { $0.hasPrefix("reservoir_scheduling_cycle_seconds_count") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    static func table(_ report: Report) -> String {
        let states = report.byState.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        var lines = [
            "reservoir bench seed (\(report.build) build, \(report.inventory)): \(report.jobs) jobs in \(String(format: "%.1f", report.seconds)) s into \(report.dataDir)",
            "  \(states); database \(String(format: "%.1f", report.databaseMiB)) MiB",
        ]
        if let s = report.start {
            lines.append(String(format: "  serve: /readyz after %.2f s (%.2f CPU s), RSS %.1f MiB; first scheduling cycle done after %.2f s",
                                s.readySeconds, s.cpuSecondsToReady, s.rssReadyMiB, s.firstCycleSeconds))
            lines.append(String(format: "  %.0f s later: RSS %.1f MiB (peak %.1f MiB), CPU %.1f %% of a core over those seconds",
                                s.settleSeconds, s.rssSettledMiB, s.rssPeakMiB, s.cpuPercentSettled))
        }
        lines.append("  start it: reservoir serve --data-dir \(report.dataDir)")
        return lines.joined(separator: "\n")
    }

    static func encode(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}

enum BenchSeedError: Error, CustomStringConvertible {
    case noCycle

    var description: String {
        switch self {
        case .noCycle: "the server finished no scheduling cycle within 10 minutes of its start"
        }
    }
}
