import ReservoirCore
import ReservoirServices

/// What runs on each device of a pool, as far as the signed-in user may see it: the admitted and running
/// jobs `listJobs` shows them (a member: its tenant's only), replica by replica. The allocation itself
/// comes from the inventory's view, which counts every tenant's work.
struct DeviceWork {
    struct Share: Sendable {
        var job: String
        var name: String
        var tenant: String
        var replica: Int
        var milli: Int
        var migStartSlice: Int?
    }

    /// Shares by device id (`node/gpuN`).
    var byDevice: [String: [Share]] = [:]

    static func of(_ request: ConsoleRequest, pool: String, node: String? = nil) throws -> DeviceWork {
        // A user of no tenant whose job scope is its own tenant (an approver of none) sees no one's work.
        guard request.may(.readJobs) else { return DeviceWork() }
        let filter = JobListFilter(states: [.admitted, .running], pool: PoolID(pool))
        let jobs = try Page.all { try request.reservoir.jobs.listJobs(filter, page: $0, by: request.principal) }
        var work = DeviceWork()
        for job in jobs {
            for p in job.placements where node == nil || p.node.rawValue == node {
                for index in p.deviceIndices {
                    work.byDevice[Device.id(node: p.node, index: index).rawValue, default: []].append(Share(
                        job: job.id.rawValue, name: job.name, tenant: job.tenant.rawValue, replica: p.replica, milli: p.gpuMilli,
                        migStartSlice: p.migStartSlice))
                }
            }
        }
        return work
    }

    /// The latest GPU utilization of each device (percent, the mean of its last sampled minute within
    /// `window` seconds), from telemetry as `GET /v1/utilization?scope=device` reads it; absent: no sample.
    static func utilization(_ request: ConsoleRequest, of devices: [DeviceView], window: Double = 900) throws -> [String: Double] {
        guard request.may(.readUtilization) else { return [:] }
        let now = request.reservoir.now()
        var latest: [String: Double] = [:]
        for device in devices where device.kind != .cpu {
            let report = try request.reservoir.telemetry.utilization(
                UtilizationQuery(scope: .device(DeviceID(device.id)), since: now - window, until: now, resolution: .minute), by: request.principal)
            latest[device.id] = report.points.last?.gpuUtilMean
        }
        return latest
    }
}
