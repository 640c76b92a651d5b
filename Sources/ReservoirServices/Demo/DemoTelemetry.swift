import ReservoirCore
import ReservoirEngine

/// Telemetry for the demo's four weeks of job history, so utilization curves show on day one: one
/// sample per accelerator and hour, from the same load profiles the simulator uses. The history records
/// no placements, so each history job is given devices of its pool and model here (free ones, in node
/// order); training history then shows its checkpoint dips, test pools their idle allocations, devices
/// no job held read idle, and each sample names the job that held its device (`holders`), so a tenant's
/// or a job's utilization (the monthly report's lists) has a past too. Pure and deterministic: the same
/// history gives the same samples.
struct DemoTelemetry {
    /// One job's hold on one device.
    private struct Hold {
        var job: JobID
        var start: Double
        var end: Double
        var profile: LoadProfile
    }

    private let devices: [Device]
    /// Each device's holds, in time order (they never overlap).
    private let holds: [DeviceID: [Hold]]

    init(inventory: Inventory, catalog: GPUCatalog, history: [(job: Job, model: String)]) {
        let accelerators = inventory.nodes.sorted { $0.id < $1.id }.flatMap { node in node.devices.filter { $0.kind != .cpu }.map { (node.pool, $0) } }
        var free: [String: [(device: DeviceID, freeAt: Double)]] = [:]
        for (pool, device) in accelerators {
            free[Self.group(pool, catalog.canonicalName(device.model) ?? device.model), default: []].append((device.id, -.infinity))
        }
        var holds: [DeviceID: [Hold]] = [:]
        let ordered = history.enumerated().filter { $0.element.job.startedAt != nil }.sorted {
            ($0.element.job.startedAt!, $0.offset) < ($1.element.job.startedAt!, $1.offset)
        }
        for (index, entry) in ordered {
            let job = entry.job
            guard let pool = job.pool, let start = job.startedAt, let end = job.finishedAt else { continue }
            let key = Self.group(pool, entry.model)
            guard var slots = free[key] else { continue }
            let open = slots.indices.filter { slots[$0].freeAt <= start }.prefix(job.request.gpus * job.replicas)
            guard open.count == job.request.gpus * job.replicas else { continue }
            let profile = LoadProfile(kind: job.kind, seed: StableHash.fnv1a("demo-history-\(index)"))
            for slot in open {
                slots[slot].freeAt = end
                holds[slots[slot].device, default: []].append(Hold(job: job.id, start: start, end: end, profile: profile))
            }
            free[key] = slots
        }
        self.devices = accelerators.map(\.1)
        self.holds = holds
    }

    private static func group(_ pool: PoolID, _ model: String) -> String { "\(pool.rawValue)|\(model)" }

    /// The middle of every hour from the one holding `since` whose middle comes before `until`.
    static func hours(since: Double, until: Double) -> [Double] {
        Array(stride(from: (since / 3_600).rounded(.down) * 3_600 + 1_800, to: until, by: 3_600))
    }

    /// Every accelerator's sample at `time`.
    func samples(at time: Double) -> [DeviceSample] {
        let holdings = holds(at: time).mapValues { [DeviceHolding(profile: $0.profile, share: 1, elapsed: time - $0.start)] }
        return SimulatedTelemetry.samples(devices: devices, holdings: holdings, at: time)
    }

    /// The history job holding each accelerator at `time`; devices no job held are absent.
    func holders(at time: Double) -> [DeviceID: JobID] {
        holds(at: time).mapValues(\.job)
    }

    private func holds(at time: Double) -> [DeviceID: Hold] {
        var found: [DeviceID: Hold] = [:]
        for device in devices {
            if let hold = holds[device.id].flatMap({ Self.hold($0, at: time) }) { found[device.id] = hold }
        }
        return found
    }

    /// The hold covering `time`, by binary search over holds in time order.
    private static func hold(_ holds: [Hold], at time: Double) -> Hold? {
        var low = 0, high = holds.count
        while low < high {
            let mid = (low + high) / 2
            if holds[mid].start <= time { low = mid + 1 } else { high = mid }
        }
        guard low > 0, time < holds[low - 1].end else { return nil }
        return holds[low - 1]
    }
}
