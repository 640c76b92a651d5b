import Foundation
import ReservoirCore
import ReservoirEngine
@testable import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

@Suite("Demo telemetry history")
struct DemoTelemetryTests {
    static let now = 1_764_000_000.0

    /// The demo's inventory and four weeks of history, as `serve --demo` seeds them.
    static func demo() throws -> (Inventory, [(job: Job, model: String)], DemoTelemetry) {
        let reservoir = Reservoir(store: try SQLiteStore(path: nil), engine: SimulatedEngine(nodes: [], clock: { now }), logger: World.logger, clock: { now })
        let op = World.operatorPrincipal
        _ = try reservoir.inventory.importDescription(yaml: DemoReservoir.description, by: op)
        var quotas: [Quota] = []
        for t in DemoReservoir.tenants {
            for q in t.quotas { quotas.append(Quota(tenant: TenantID(t.id), pool: PoolID(q.pool), guaranteedMilli: q.guaranteed * 1000, limitMilli: q.limit * 1000)) }
        }
        let inventory = try reservoir.store.inventory()
        let catalog = try reservoir.store.catalog()
        let history = DemoHistory.jobs(inventory: inventory, catalog: catalog, quotas: quotas, now: now)
        return (inventory, history, DemoTelemetry(inventory: inventory, catalog: catalog, history: history))
    }

    @Test("one sample per accelerator and hour of the four weeks; each hour the busy devices of a pool are exactly the GPUs its history jobs held")
    func consistentWithHistory() throws {
        let (inventory, history, telemetry) = try Self.demo()
        let hours = DemoTelemetry.hours(since: Self.now - 28 * 86_400, until: Self.now)
        #expect(hours.count == 28 * 24)
        #expect(hours.last! < Self.now)
        let accelerators = inventory.nodes.flatMap(\.devices).filter { $0.kind != .cpu }
        let poolOf = Dictionary(uniqueKeysWithValues: inventory.nodes.flatMap { node in node.devices.map { ($0.id, node.pool) } })
        for time in stride(from: hours[0], through: hours.last!, by: 97 * 3_600) {
            let samples = telemetry.samples(at: time)
            #expect(samples.count == accelerators.count && samples.allSatisfy { $0.at == time })
            var busy: [PoolID: Int] = [:]
            for sample in samples where sample.memoryUsedMiB > 0 { busy[poolOf[sample.device]!, default: 0] += 1 }
            var held: [PoolID: Int] = [:]
            for (job, _) in history where job.startedAt! <= time && time < job.finishedAt! { held[job.pool!, default: 0] += job.request.gpus }
            #expect(busy == held, "at \(time)")
        }
    }

    @Test("training history shows checkpoint dips under steady memory; test pools hold devices that sit idle")
    func curvesANewcomerCanRead() throws {
        let (inventory, _, telemetry) = try Self.demo()
        let poolOf = Dictionary(uniqueKeysWithValues: inventory.nodes.flatMap { node in node.devices.map { ($0.id, node.pool) } })
        let started = ContinuousClock.now
        var training: [DeviceSample] = [], testing: [DeviceSample] = []
        let hours = DemoTelemetry.hours(since: Self.now - 28 * 86_400, until: Self.now)
        for time in hours {
            for sample in telemetry.samples(at: time) where sample.memoryUsedMiB > 0 {
                switch poolOf[sample.device] {
                case "bj-training", "sh-training": training.append(sample)
                case "bj-testing": testing.append(sample)
                default: break
                }
            }
        }
        print("demo telemetry: \(hours.count) hours generated in \(ContinuousClock.now - started)")
        let dips = training.filter { $0.gpuUtilPercent <= 10 }
        #expect(Double(dips.count) / Double(training.count) > 0.02, "a checkpoint now and then")
        #expect(Double(training.filter { $0.gpuUtilPercent >= 85 }.count) / Double(training.count) > 0.6, "training mostly runs hot")
        #expect(training.contains { (40...60).contains($0.gpuUtilPercent) }, "some jobs wait on their data loader")
        #expect(Double(testing.filter { $0.gpuUtilPercent <= 5 }.count) / Double(testing.count) > 0.8, "test allocations mostly idle")
    }

    @Test("the demo's telemetry history: four weeks of hourly samples, pool curves at hour and day resolution, written once")
    func seededByTheDemo() async throws {
        let reservoir = Reservoir(
            store: try SQLiteStore(path: nil), engine: SimulatedEngine(nodes: [], clock: { Self.now }), logger: World.logger, clock: { Self.now })
        var started = ContinuousClock.now
        _ = try reservoir.demo.seed(by: World.operatorPrincipal)
        print("demo seed: \(ContinuousClock.now - started)")
        _ = try await reservoir.demo.deployServices()
        _ = try await reservoir.scheduling.runSchedulingCycle()
        #expect(try reservoir.store.jobs(tenant: "search", states: [.admitted], limit: 10).count == 2, "the services hold devices while history is written")
        started = ContinuousClock.now
        let written = try reservoir.demo.seedTelemetryHistory()
        print("demo telemetry history: \(written) samples in \(ContinuousClock.now - started)")
        #expect(written == 672 * 328, "every accelerator, every hour of four weeks")
        #expect(try reservoir.demo.seedTelemetryHistory() == 0, "written once: a restart finds every hour there")
        let week = UtilizationQuery(scope: .pool("bj-training"), since: Self.now - 7 * 86_400, until: Self.now, resolution: .hour)
        let hourly = try reservoir.telemetry.utilization(week, by: World.operatorPrincipal)
        #expect(hourly.points.count == 7 * 24)
        #expect(hourly.points.allSatisfy { $0.devices == 96 }, "every accelerator of the pool, every hour")
        #expect(hourly.points.contains { $0.gpuUtilMax >= 85 } && hourly.points.contains { $0.gpuUtilMean < $0.gpuUtilMax })
        let fourWeeks = { (scope: UtilizationScope) in
            try reservoir.telemetry.utilization(
                UtilizationQuery(scope: scope, since: Self.now - 28 * 86_400, until: Self.now - 3_600, resolution: .hour), by: World.operatorPrincipal).points
        }
        #expect(try fourWeeks(.service("search-ranker")).isEmpty, "the services running now are credited with none of the history")
        for tenant in DemoReservoir.tenants.map({ TenantID($0.id) }) {
            #expect(try fourWeeks(.tenant(tenant)).count > 20 * 24, "the history is credited to the tenants whose jobs held the devices: \(tenant)")
        }
        let job = try #require(try reservoir.store.jobs(tenant: "nlp", states: [.succeeded], limit: 1_000_000).last { $0.name.hasSuffix("-history") })
        let held = try fourWeeks(.job(job.id))
        #expect(!held.isEmpty && held.allSatisfy { $0.at >= job.startedAt! - 3_600 && $0.at < job.finishedAt! }, "a history job's samples fall in its run")
        let month = UtilizationQuery(scope: .reservoir, since: Self.now - 28 * 86_400, until: Self.now, resolution: .day)
        #expect(try reservoir.telemetry.utilization(month, by: World.operatorPrincipal).points.count >= 28)
    }

    @Test("last month's report ranks the demo's tenants and history jobs by the history's telemetry")
    func lastMonthReported() throws {
        let now = 1_764_676_800.0  // 2025-12-02 12:00 UTC: November is last month
        let reservoir = Reservoir(store: try SQLiteStore(path: nil), engine: SimulatedEngine(nodes: [], clock: { now }), logger: World.logger, clock: { now })
        _ = try reservoir.demo.seed(by: World.operatorPrincipal)
        // Newest hour first: three days (two of them November's) keep the test fast.
        let hours = Countdown(72)
        #expect(try reservoir.demo.seedTelemetryHistory(continuing: { hours.next() }) == 72 * 328)
        let report = try reservoir.reports.monthly(month: try ReportMonth("2025-11"), by: World.operatorPrincipal)
        #expect(!report.redList.highestUtilization.isEmpty)
        #expect(!report.blackList.lowestUtilization.isEmpty)
        #expect(!report.topApplications.isEmpty && report.topApplications.allSatisfy { $0.kind == "job" && $0.name.hasSuffix("-history") })
    }

    @Test("a start after the hourly retention has pruned the history writes it no more")
    func prunedHistoryStaysPruned() throws {
        let store = try SQLiteStore(path: nil)
        let first = Reservoir(store: store, engine: SimulatedEngine(nodes: [], clock: { Self.now }), logger: World.logger, clock: { Self.now })
        _ = try first.demo.seed(by: World.operatorPrincipal)
        let later = Self.now + 100 * 86_400  // past the 90 days hourly roll-ups are kept
        let restarted = Reservoir(store: store, engine: SimulatedEngine(nodes: [], clock: { later }), logger: World.logger, clock: { later })
        #expect(try restarted.demo.seedTelemetryHistory() == 0)
    }

    @Test("the same history gives the same samples")
    func deterministic() throws {
        let a = try Self.demo().2, b = try Self.demo().2
        let time = Self.now - 3 * 86_400 + 1_800
        #expect(a.samples(at: time) == b.samples(at: time))
    }
}

/// Says yes `count` times, then no: stops the history writer after that many hours.
private final class Countdown: @unchecked Sendable {
    private let lock = NSLock()
    private var left: Int
    init(_ count: Int) { left = count }
    func next() -> Bool {
        lock.withLock {
            left -= 1
            return left >= 0
        }
    }
}
