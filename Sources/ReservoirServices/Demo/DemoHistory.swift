import Foundation
import ReservoirCore

/// Four weeks of finished jobs for the demo, so forecasts and capacity plans answer on day one.
/// Demand per pool and model follows a working day (peak mid-afternoon, Beijing time), quieter
/// weekends and a slight growth, never above 90 % of the pool's GPUs of that model. Generated from a
/// seed: the same seed and `now` give the same history.
enum DemoHistory {
    static let weeks = 4

    /// The hour the history starts: `weeks` before the hour of `now`.
    static func firstHour(now: Double) -> Double { (now / 3600).rounded(.down) * 3600 - Double(weeks * 7 * 24) * 3600 }

    /// One history job per entry, with the model it ran on.
    static func jobs(
        inventory: Inventory, catalog: GPUCatalog, quotas: [Quota], now: Double, seed: UInt64 = 2026
    ) -> [(job: Job, model: String)] {
        var rng = SplitMix64(seed: seed)
        let hours = weeks * 7 * 24
        let firstHour = firstHour(now: now)
        var out: [(job: Job, model: String)] = []
        for pool in inventory.pools.sorted(by: { $0.id < $1.id }) {
            let tenants = quotas.filter { $0.pool == pool.id }.map(\.tenant).sorted()
            guard !tenants.isEmpty else { continue }
            var capacity: [String: Int] = [:]
            for node in inventory.nodes where node.pool == pool.id {
                guard let model = node.gpuModel.map({ catalog.canonicalName($0) ?? $0 }) else { continue }
                capacity[model, default: 0] += node.devices.filter { $0.kind != .cpu }.count
            }
            let shape = Shape(purpose: pool.purpose)
            for model in capacity.keys.sorted() {
                let gpus = capacity[model]!
                var running: [(end: Double, gpus: Int)] = []
                for h in 0..<hours {
                    let t = firstHour + Double(h) * 3600
                    running.removeAll { $0.end <= t }
                    let target = min(0.9, shape.utilization(at: t, progress: Double(h) / Double(hours)) * (0.95 + 0.1 * rng.nextUnit())) * Double(gpus)
                    var inUse = running.reduce(0) { $0 + $1.gpus }
                    while true {
                        let size = min(gpus, shape.sizes[rng.below(shape.sizes.count)])
                        guard Double(inUse + size) <= target else { break }
                        let start = t + 600 * rng.nextUnit()
                        let end = min(now - 60, start + 3600 * (shape.hours.lowerBound + (shape.hours.upperBound - shape.hours.lowerBound) * rng.nextUnit()))
                        guard end > start else { break }
                        let tenant = tenants[rng.below(tenants.count)]
                        var job = Job(
                            id: "pending", name: "\(shape.kind.rawValue)-history", tenant: tenant, submittedBy: UserID("\(tenant)-member"),
                            pool: pool.id, kind: shape.kind, request: ResourceRequest(gpus: size, cpuMilli: size * 8000, memoryMiB: size * 32_768, models: [model]),
                            priority: .p2, preemptible: true, runtimeSeconds: end - start, state: .succeeded, submittedAt: start - 900 * rng.nextUnit())
                        job.startedAt = start
                        job.finishedAt = end
                        job.progressSeconds = end - start
                        out.append((job, model))
                        running.append((end, size))
                        inUse += size
                    }
                }
            }
        }
        return out.sorted { $0.job.submittedAt < $1.job.submittedAt }
    }

    /// How busy a pool of this purpose is, and the jobs it runs.
    struct Shape {
        var kind: WorkloadKind
        var base: Double
        var sizes: [Int]
        var hours: ClosedRange<Double>

        init(purpose: PoolPurpose) {
            switch purpose {
            case .training: (kind, base, sizes, hours) = (.training, 0.7, [8, 8, 4], 6...18)
            case .inference: (kind, base, sizes, hours) = (.inference, 0.65, [1, 2, 4], 8...24)
            case .testing: (kind, base, sizes, hours) = (.test, 0.5, [2, 4], 4...12)
            case .mixed: (kind, base, sizes, hours) = (.batch, 0.6, [2, 4, 4], 4...12)
            }
        }

        /// Target utilization at Unix time `t`: a working day in UTC+8, weekends at 60 %, 10 % growth over the history.
        func utilization(at t: Double, progress: Double) -> Double {
            let local = t + 8 * 3600
            let hourOfDay = (local / 3600).truncatingRemainder(dividingBy: 24)
            let day = Int((local / 86_400).rounded(.down))
            let weekend = [2, 3].contains(((day % 7) + 7) % 7)  // 1970-01-01 was a Thursday: days 2 and 3 are Saturday and Sunday
            let daily = 0.5 - 0.5 * cos(2 * Double.pi * (hourOfDay - 3) / 24)
            return base * (0.55 + 0.45 * daily) * (weekend ? 0.6 : 1) * (0.9 + 0.1 * progress)
        }
    }
}
