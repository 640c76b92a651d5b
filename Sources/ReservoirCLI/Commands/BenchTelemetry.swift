import ArgumentParser
import Foundation
import Logging
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore

/// `reservoir bench telemetry`: N days of GPU telemetry of the openb inventory as an operator's database
/// holds them after N days: the last `--minute-days` (the minute retention, 2 days, by default) as 1-minute
/// samples fed minute by minute through `reservoir.telemetry.record` (validation, attribution, roll-ups,
/// retention pruning), the days before as the hour and day roll-ups that remain once their minutes are
/// pruned (written by the store's roll-up upserts from one sample per device and hour); then the file's
/// size on disk, its rows, and the time of typical queries.
struct BenchTelemetry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry",
        abstract: "Ingest rate, database size and query times of 1-minute GPU telemetry on the openb inventory."
    )

    @Option(help: "The openb node list CSV.") var nodes: String
    @Option(help: "Simulated days of telemetry (the defaults are CI-sized; --days 30 --node-limit 0 is the full figure).") var days: Double = 1
    @Option(help: "Days of them, at the end, fed as 1-minute samples (default: the minute retention); the days before are written as hour and day roll-ups.")
    var minuteDays: Double?
    @Option(help: "Use only the first N nodes of the list (0: all).") var nodeLimit: Int = 64
    @Option(help: "Keep the database here instead of a temporary file.") var database: String?
    @Option(help: "Seed of the synthetic utilization.") var seed: UInt64 = 13
    @Flag(help: "Only measure --database, filled by an earlier run (its first --days days), without ingesting.") var queriesOnly = false
    @Flag(help: "Print one JSON object.") var json = false

    struct Report: Codable {
        var nodes: Int
        var gpus: Int
        var days: Double
        /// 1-minute samples fed through `reservoir.telemetry.record`, and their wall and CPU seconds.
        var samples: Int
        var ingestSeconds: Double
        var ingestCPUSeconds: Double
        var samplesPerSecond: Double
        /// Hours before them written as roll-ups (one sample per device and hour), and their wall and CPU seconds.
        var rolledUpHours: Int
        var rolledUpSamples: Int
        var rollUpSeconds: Double
        var rollUpCPUSeconds: Double
        var databaseMiB: Double
        var minuteRows: Int
        var hourRows: Int
        var dayRows: Int
        /// Query name → milliseconds (the API's use case: series and summary).
        var queryMs: [String: Double]
    }

    /// Midnight UTC, 1 December 2026: the first simulated minute.
    static let start = 1_796_083_200.0

    func validate() throws {
        guard days > 0, days <= 400 else { throw ValidationError("--days must be in (0, 400]") }
        guard !queriesOnly || database != nil else { throw ValidationError("--queries-only measures an existing --database") }
        guard nodeLimit >= 0 else { throw ValidationError("--node-limit must not be negative") }
        if let minuteDays { guard minuteDays >= 0, minuteDays <= days else { throw ValidationError("--minute-days must be in [0, --days]") } }
    }

    mutating func run() async throws {
        let workload = try Self.inventory(csv: nodes, limit: nodeLimit)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reservoir-bench-telemetry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if database == nil { try? FileManager.default.removeItem(at: directory) } }
        let path = database ?? directory.appendingPathComponent("telemetry.sqlite").path
        let store = try SQLiteStore(path: path)
        let clock = BenchClock(Self.start)
        let reservoir = Reservoir(
            store: store, engine: SimulatedEngine(nodes: [], speed: 1, clock: clock.now), logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() },
            clock: clock.now)
        let gpus = workload.nodes.flatMap(\.devices)
        let hours = Int(((days - (minuteDays ?? min(days, TelemetrySettings().minuteRetentionDays))) * 24).rounded(.down))
        let minutes = Int(((days * 24 - Double(hours)) * 60).rounded())
        var load = SyntheticLoad(devices: gpus, held: Set(workload.nodes.enumerated().filter { $0.offset % 2 == 0 }.flatMap { $0.element.devices.map(\.id) }), seed: seed)
        if !queriesOnly { try Self.seed(store, workload) }
        let devices = try store.telemetryDevices(Set(gpus.map(\.id)))
        var (rolledUp, rollUpBegan, rollUpCPU) = (0, Date(), Self.cpuSeconds())
        for hour in 0..<(queriesOnly ? 0 : hours) {
            let at = Self.start + Double(hour) * 3600
            clock.set(at + 30)
            for batch in load.samples(at: at).chunked(InputLimits.telemetrySamples) {
                rolledUp += try store.recordHourlySamples(batch, devices: devices)
            }
            if !json, (hour + 1) % 24 == 0 { Self.progress("roll-ups of day \((hour + 1) / 24): \(rolledUp) hourly samples, \(Int(Double(rolledUp) / Date().timeIntervalSince(rollUpBegan)))/s") }
        }
        let (rollUpSeconds, rollUpCPUSeconds) = (Date().timeIntervalSince(rollUpBegan), Self.cpuSeconds() - rollUpCPU)
        let (began, ingestCPU) = (Date(), Self.cpuSeconds())
        var samples = 0
        for minute in 0..<(queriesOnly ? 0 : minutes) {
            let at = Self.start + Double(hours) * 3600 + Double(minute) * 60
            clock.set(at + 30)
            for batch in load.samples(at: at).chunked(InputLimits.telemetrySamples) {
                samples += try reservoir.telemetry.record(batch).accepted
            }
            if !json, (minute + 1) % 360 == 0 {
                Self.progress("minute \(minute + 1) of \(minutes): \(samples) samples, \(Int(Double(samples) / Date().timeIntervalSince(began))) samples/s")
            }
        }
        let (ingestSeconds, ingestCPUSeconds) = (Date().timeIntervalSince(began), Self.cpuSeconds() - ingestCPU)
        let end = Self.start + Double(hours) * 3600 + Double(minutes) * 60
        clock.set(end)
        let pool = workload.pools.max { a, b in a.gpus < b.gpus }!
        let operatorPrincipal = Principal(user: User(id: "bench", roles: [.operator_]))
        var queryMs: [String: Double] = [:]
        for (name, query) in [
            ("pool \(pool.id) (\(pool.gpus) GPUs), 7 days hourly", UtilizationQuery(scope: .pool(pool.id), since: end - 7 * 86_400, until: end, resolution: .hour)),
            ("device \(gpus[0].id), 30 days daily", UtilizationQuery(scope: .device(gpus[0].id), since: end - 30 * 86_400, until: end, resolution: .day)),
            ("reservoir, 1 day by minute", UtilizationQuery(scope: .reservoir, since: end - 86_400, until: end, resolution: .minute)),
            ("reservoir, 1 day hourly", UtilizationQuery(scope: .reservoir, since: end - 86_400, until: end, resolution: .hour)),
            ("tenant bench, 30 days daily", UtilizationQuery(scope: .tenant("bench"), since: end - 30 * 86_400, until: end, resolution: .day)),
        ] {
            let t = Date()
            _ = try reservoir.telemetry.utilization(query, by: operatorPrincipal)
            queryMs[name] = Date().timeIntervalSince(t) * 1000
        }
        let size = [path, path + "-wal"].reduce(0.0) { sum, file in
            sum + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Double) ?? 0)
        }
        let rows = try store.telemetryRowCounts()
        let report = Report(
            nodes: workload.nodes.count, gpus: gpus.count, days: days, samples: samples, ingestSeconds: ingestSeconds, ingestCPUSeconds: ingestCPUSeconds,
            samplesPerSecond: Double(samples) / ingestSeconds, rolledUpHours: queriesOnly ? 0 : hours, rolledUpSamples: rolledUp, rollUpSeconds: rollUpSeconds,
            rollUpCPUSeconds: rollUpCPUSeconds, databaseMiB: size / 1_048_576, minuteRows: rows.minute, hourRows: rows.hour, dayRows: rows.day,
            queryMs: queryMs)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("""
                \(report.gpus) GPUs on \(report.nodes) nodes, \(Cell.number(days)) days: \(report.rolledUpHours) hours as roll-ups (\(rolledUp) hourly samples in \(String(format: "%.1f", rollUpSeconds)) s, \(String(format: "%.1f", rollUpCPUSeconds)) s CPU), then
                \(minutes) minutes of 1-minute samples: \(samples) samples in \(String(format: "%.1f", ingestSeconds)) s = \(Int(report.samplesPerSecond)) samples/s (\(String(format: "%.1f", ingestCPUSeconds)) s CPU = \(Int(Double(samples) / max(ingestCPUSeconds, 1e-9))) samples per CPU-second)
                database \(String(format: "%.1f", report.databaseMiB)) MiB on disk: \(rows.minute) minute rows (retention \(Cell.number(TelemetrySettings().minuteRetentionDays)) days), \(rows.hour) hour rows, \(rows.day) day rows
                """)
            for (name, ms) in queryMs.sorted(by: { $0.key < $1.key }) { print("query \(name): \(String(format: "%.1f", ms)) ms") }
        }
    }

    /// CPU seconds this process has used (wall time on a shared machine includes waiting for a core).
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func progress(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

    /// The openb nodes (the first `limit`), one pool per GPU model so that a pool is a part of the reservoir;
    /// models of unknown memory (opaque trace codes) get 32 GiB so memory fractions have a denominator.
    static func inventory(csv path: String, limit: Int) throws -> (nodes: [Node], pools: [(id: PoolID, gpus: Int)], inventory: Inventory) {
        var rows = try OpenbTrace.parseNodes(csv: String(contentsOfFile: path, encoding: .utf8)).filter { $0.gpus > 0 }
        if limit > 0 { rows = Array(rows.prefix(limit)) }
        guard !rows.isEmpty else { throw ValidationError("\(path): no node with GPUs") }
        var inventory = try OpenbInventory.make(rows: rows, pool: "openb", cluster: "openb", region: "openb")
        var pools: [PoolID: Int] = [:]
        for i in inventory.nodes.indices {
            let pool = PoolID("openb-\((inventory.nodes[i].gpuModel ?? "cpu").lowercased())")
            inventory.nodes[i].pool = pool
            for d in inventory.nodes[i].devices.indices where inventory.nodes[i].devices[d].memoryMiB == 0 {
                inventory.nodes[i].devices[d].memoryMiB = 32_768
            }
            pools[pool, default: 0] += inventory.nodes[i].gpuCount
        }
        let template = inventory.pools[0]
        inventory.pools = pools.keys.sorted().map { id in
            var pool = template
            pool.id = id
            return pool
        }
        return (inventory.nodes, pools.map { ($0.key, $0.value) }.sorted { $0.id < $1.id }, inventory)
    }

    /// The inventory, a tenant, and one job holding every GPU of every other node, so half the samples are attributed.
    static func seed(_ store: SQLiteStore, _ workload: (nodes: [Node], pools: [(id: PoolID, gpus: Int)], inventory: Inventory)) throws {
        let who = Attribution(actor: "system:bench", at: start)
        try store.upsertInventory(workload.inventory, by: who)
        try store.createTenant(Tenant(id: "bench"), by: who)
        for (i, node) in workload.nodes.enumerated() where i % 2 == 0 {
            let job = try store.insertJob(
                Job(id: "x", name: "train-\(i)", tenant: "bench", submittedBy: "bench", pool: node.pool, request: ResourceRequest(gpus: node.gpuCount)), by: who)
            let placement = ReplicaPlacement(replica: 0, node: node.id, deviceIndices: Array(0..<node.gpuCount), gpuMilli: 1000, cpuMilli: 1000, memoryMiB: 1024)
            _ = try store.applyCycle(decisions: [(job.id, [placement], "bench")], waiting: [:], by: who)
        }
    }
}

/// The bench's clock: set to each simulated minute as it is fed.
private final class BenchClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double
    init(_ start: Double) { value = start }
    func set(_ t: Double) { lock.withLock { value = t } }
    var now: @Sendable () -> Double { { [self] in lock.withLock { value } } }
}

/// Utilization that looks like a cluster's: held GPUs busy (a per-device level, a daily swing, noise),
/// free ones nearly idle; with power, temperature and error counts as `nvidia-smi` reports them.
/// Deterministic per seed.
private struct SyntheticLoad {
    let devices: [Device]
    let level: [Double]
    var rng: SplitMix64

    init(devices: [Device], held: Set<DeviceID>, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        self.devices = devices
        level = devices.map { held.contains($0.id) ? 40 + rng.nextUnit() * 50 : rng.nextUnit() * 5 }
        self.rng = rng
    }

    mutating func samples(at t: Double) -> [DeviceSample] {
        let swing = sin((t.truncatingRemainder(dividingBy: 86_400)) / 86_400 * 2 * .pi)
        return devices.indices.map { i in
            let util = min(100, max(0, level[i] * (1 + 0.2 * swing) + (rng.nextUnit() - 0.5) * 10))
            return DeviceSample(
                device: devices[i].id, at: t + 5, gpuUtilPercent: (util * 100).rounded() / 100, memoryUsedMiB: Int(Double(devices[i].memoryMiB) * util / 110),
                powerWatts: (60 + util * 3).rounded(), temperatureCelsius: (30 + util / 2).rounded(), xidErrors: 0, eccErrors: 0)
        }
    }
}

extension Array {
    /// The array in consecutive slices of at most `size`.
    fileprivate func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
