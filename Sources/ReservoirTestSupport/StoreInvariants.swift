import ReservoirCore
import ReservoirStore

/// Invariants over a Reservoir database, checked straight from the store: what every test that drives
/// the scheduler, an engine or a crash asserts afterwards.
public enum StoreInvariants {
    /// Violations, empty when the database is consistent:
    /// - no device is booked above 1000 milli-GPU (never allocated twice);
    /// - every booking belongs to a device of the inventory;
    /// - the allocation table equals the placements of admitted and running jobs, device by device;
    /// - jobs that do not hold devices carry no placements' allocations, and jobs that do have placements for every replica;
    /// - no job holds more CPU or memory on a node than the node has;
    /// - every admitted or running job holding GPUs has open usage sessions for exactly the milli-GPU it
    ///   holds, and no other job has an open one (metering neither lost nor doubled).
    public static func violations(_ store: some Store) throws -> [String] {
        var out: [String] = []
        let inventory = try store.inventory()
        let devices = Set(inventory.nodes.flatMap { $0.devices.map(\.id) })
        let bookings = try store.deviceBookings()
        for (device, milli) in bookings.sorted(by: { $0.key < $1.key }) {
            if milli > 1000 { out.append("device \(device) booked \(milli) milli-GPU (> 1000): allocated twice") }
            if milli <= 0 { out.append("device \(device) has a non-positive booking \(milli)") }
            if !devices.contains(device) { out.append("booking on unknown device \(device)") }
        }
        let active = try store.jobs(tenant: nil, states: [.admitted, .running], limit: 10_000_000)
        var expected: [DeviceID: Int] = [:]
        var cpu: [NodeID: Int] = [:]
        var memory: [NodeID: Int] = [:]
        for job in active {
            if job.placements.count != job.replicas { out.append("job \(job.id) is \(job.state.rawValue) with \(job.placements.count) of \(job.replicas) replicas placed") }
            for p in job.placements {
                cpu[p.node, default: 0] += p.cpuMilli
                memory[p.node, default: 0] += p.memoryMiB
                for i in p.deviceIndices { expected[Device.id(node: p.node, index: i), default: 0] += p.gpuMilli }
            }
        }
        for device in Set(expected.keys).union(bookings.keys).sorted() where expected[device, default: 0] != bookings[device, default: 0] {
            out.append("device \(device): allocation table says \(bookings[device, default: 0]), placements of active jobs say \(expected[device, default: 0])")
        }
        var metered: [JobID: Int] = [:]
        for session in try store.openUsageSessions() { metered[session.job, default: 0] += session.gpuMilli }
        let held = Dictionary(active.map { job in (job.id, job.placements.reduce(0) { $0 + $1.gpuMilli * $1.deviceIndices.count }) }, uniquingKeysWith: +)
        for job in Set(metered.keys).union(held.keys.filter { held[$0, default: 0] > 0 }).sorted() where metered[job, default: 0] != held[job, default: 0] {
            out.append("job \(job): open usage sessions meter \(metered[job, default: 0]) milli-GPU, its placements hold \(held[job, default: 0])")
        }
        for node in inventory.nodes {
            if cpu[node.id, default: 0] > node.cpuMilli { out.append("node \(node.id) CPU over-committed: \(cpu[node.id]!) > \(node.cpuMilli)") }
            if memory[node.id, default: 0] > node.memoryMiB { out.append("node \(node.id) memory over-committed") }
        }
        return out
    }
}
