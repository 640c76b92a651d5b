import ReservoirCore
import ReservoirServices

/// What the overview shows, read through the same use cases as the API with the signed-in principal:
/// the water level (`/v1/water-level`) grouped by region, utilization of the reservoir — or of the member's
/// own tenant, as `/v1/utilization` answers a member — over the last week, the firing alerts (for the roles
/// that may read alerts), and the queue per pool from the jobs the caller may see.
struct OverviewModel {
    var data: [String: any Sendable] = [:]

    /// Queued jobs read for the queue table at most (pages of the job list); beyond it the counts say "at least".
    static let queueScanLimit = 5_000

    static func build(_ request: ConsoleRequest) throws -> OverviewModel {
        let reservoir = request.reservoir, principal = request.principal
        let water = try reservoir.feasibility.waterLevel(by: principal)
        let now = water.at
        let inventory = try reservoir.inventory.inventory(by: principal)
        let regionOfCluster = Dictionary(inventory.clusters.map { ($0.id, $0.region.rawValue) }, uniquingKeysWith: { a, _ in a })
        let regionOfPool = Dictionary(inventory.pools.map { ($0.id, regionOfCluster[$0.cluster] ?? "–") }, uniquingKeysWith: { a, _ in a })
        let levels = water.levels.sorted { (regionOfPool[$0.pool] ?? "", $0.pool.rawValue, $0.model) < (regionOfPool[$1.pool] ?? "", $1.pool.rawValue, $1.model) }

        var model = OverviewModel()
        model.data["refresh"] = 30
        model.data["measuredAt"] = ConsoleFormat.time(now)
        model.data["hasLevels"] = !levels.isEmpty
        model.data["levels"] = levels.map { level -> [String: any Sendable] in
            let region = regionOfPool[level.pool] ?? "–"
            return [
                "region": region, "pool": level.pool.rawValue, "model": level.model, "total": level.total, "allocated": level.allocated,
                "reserved": level.reserved, "free": level.free, "queued": level.queued,
                "bar": StackedBar.waterLevel(
                    title: "\(level.pool) \(level.model): \(level.allocated) allocated, \(level.reserved) reserved, \(level.free) free of \(level.total)",
                    total: level.total, allocated: level.allocated, reserved: level.reserved, free: level.free
                ).svg(),
            ]
        }
        let sum = { (key: KeyPath<WaterLevel, Int>) in levels.reduce(0) { $0 + $1[keyPath: key] } }
        model.data["cards"] = [
            card("\(sum(\.total))", "GPUs in total"), card("\(sum(\.allocated))", "allocated"),
            card("\(sum(\.reserved))", "reserved"), card("\(sum(\.free))", "free"),
        ]

        let ownTenant = reservoir.runtime.access.scope(principal, .readUtilization) < .anyTenant ? principal.tenant : nil
        model.data["scopeNote"] = ownTenant.map { "Utilization and the queue are tenant \($0)'s; the water level is the whole reservoir's." }
            ?? "The whole reservoir."
        try model.addUtilization(reservoir, principal, scope: ownTenant.map { .tenant($0) } ?? .reservoir, now: now)

        let showAlerts = request.may(.readAlerts)
        model.data["showAlerts"] = showAlerts
        if showAlerts {
            let firing = try reservoir.alerts.alerts(state: .firing, since: nil, page: PageRequest(limit: 100), by: principal).items
            model.data["hasAlerts"] = !firing.isEmpty
            model.data["alerts"] = firing.map { alert -> [String: any Sendable] in
                [
                    "name": alert.alertName, "subject": alert.subject, "severity": alert.severity.rawValue,
                    "since": ConsoleFormat.time(alert.firedAt ?? alert.since), "summary": alert.summary,
                ]
            }
        }
        try model.addQueue(reservoir, principal, now: now)
        return model
    }

    private static func card(_ figure: String, _ label: String) -> [String: any Sendable] { ["figure": figure, "label": label] }

    /// Utilization cards (now, day, week) and the day's and week's charts, from one week of hourly buckets.
    private mutating func addUtilization(_ reservoir: Reservoir, _ principal: Principal, scope: UtilizationScope, now: Double) throws {
        let week = try reservoir.telemetry.utilization(
            UtilizationQuery(scope: scope, since: now - 7 * 86_400, until: now, resolution: .hour), by: principal)
        let latest = week.points.last.flatMap { now - $0.at <= 2 * 3_600 ? $0.gpuUtilMean : nil }
        data["utilization"] = [
            Self.card(ConsoleFormat.percent(latest), "GPU utilization now (last hour)"),
            Self.card(ConsoleFormat.percent(week.summary.dailyMeanGpuUtil), "mean over the last day"),
            Self.card(ConsoleFormat.percent(week.summary.weeklyMeanGpuUtil), "mean over the last week"),
        ]
        func chart(_ title: String, since: Double) -> String {
            let points = week.points.filter { $0.at >= since }
            return LineChart(
                title: title, points: points.map { .init(x: $0.at, y: $0.gpuUtilMean) },
                band: points.map { .init(x: $0.at, low: $0.gpuUtilMean, high: $0.gpuUtilMax) }, yRange: 0...100,
                xLabel: { ConsoleFormat.day($0) }, yLabel: { "\(Int($0)) %" }
            ).svg()
        }
        data["dayChart"] = chart("Mean GPU utilization per hour over the last day (band up to the peak)", since: now - 86_400)
        data["weekChart"] = chart("Mean GPU utilization per hour over the last week (band up to the peak)", since: now - 7 * 86_400)
    }

    /// Jobs waiting per pool (jobs without a pool under "any pool"): how many, the GPUs they ask, the longest wait.
    private mutating func addQueue(_ reservoir: Reservoir, _ principal: Principal, now: Double) throws {
        struct Queue { var jobs = 0, gpus = 0.0, oldest = Double.infinity }
        var queues: [String: Queue] = [:]
        var page = PageRequest(limit: PageRequest.maximumLimit)
        var seen = 0
        while seen < Self.queueScanLimit {
            let batch = try reservoir.jobs.listJobs(JobListFilter(states: [.queued]), page: page, by: principal)
            for job in batch.items {
                let pool = job.pool?.rawValue ?? "any pool"
                queues[pool, default: Queue()].jobs += 1
                queues[pool, default: Queue()].gpus += Double(job.totalGPUMilli) / 1000
                queues[pool, default: Queue()].oldest = min(queues[pool, default: Queue()].oldest, job.submittedAt)
            }
            seen += batch.items.count
            guard let next = batch.next else { break }
            page.cursor = next
        }
        data["hasQueues"] = !queues.isEmpty
        data["queues"] = queues.sorted { $0.key < $1.key }.map { pool, queue -> [String: any Sendable] in
            ["pool": pool, "jobs": queue.jobs, "gpus": SVG.figure(queue.gpus), "longestWait": ConsoleFormat.duration(now - queue.oldest)]
        }
    }
}
