import ReservoirCore
import ReservoirPlacement
import ReservoirScheduling

/// Submission-time checks against the inventory and the tenant's quota: a job that could never
/// run is refused at once (422 naming what limits it) rather than left waiting forever.
///
/// Capacity is counted on empty nodes (failed devices left out): what could ever be, not what is free.
struct Feasibility {
    let job: Job
    let pool: Pool
    let nodes: [Node]
    /// The canonical catalog name of each device model spelling in the pool, looked up once: a
    /// catalog lookup per device (9,704 on openb) was most of a submission's CPU.
    private let canonical: [String: String]
    private let allowed: Set<String>
    /// Each node's usable accelerators (`gpus(of:)`), filtered once: a submission asks per node twice.
    private let usable: [NodeID: [Device]]

    init(_ job: Job, pool: Pool, inventory: Inventory, catalog: GPUCatalog) {
        self.job = job
        self.pool = pool
        self.nodes = inventory.nodes.filter { $0.pool == pool.id }
        let spellings = Set(nodes.lazy.flatMap(\.devices).map(\.model))
        self.canonical = Dictionary(uniqueKeysWithValues: spellings.map { ($0, catalog.canonicalName($0) ?? $0) })
        self.allowed = Set(job.request.models)
        let (request, canonical, allowed) = (job.request, self.canonical, self.allowed)
        self.usable = Dictionary(nodes.map { node in
            (node.id, node.devices.filter { d in
                d.kind != .cpu && d.state != .failed && d.inMIGMode == (request.migProfile != nil)
                    && (allowed.isEmpty || allowed.contains(canonical[d.model] ?? d.model))
            })
        }, uniquingKeysWith: { first, _ in first })
    }

    private var r: ResourceRequest { job.request }

    /// Refuses what the pool's sharing mode never runs, a replica no node could hold (naming the
    /// limiting resource and the largest value there), and a gang larger than the whole pool.
    func require() throws {
        if let refusal = pool.sharing.refusal(of: r, pool: pool.id) {
            throw ReservoirError(.unsatisfiable, field: "request", refusal)
        }
        let perNode = nodes.map(replicas(on:))
        guard perNode.contains(where: { $0 > 0 }) else {
            throw ReservoirError(.unsatisfiable, field: "request", "can never run: " + limitingResource())
        }
        let most = perNode.reduce(0) { $0 + min($1, job.minMembers) }
        if most < job.minMembers {
            throw ReservoirError(
                .unsatisfiable, field: "minMembers",
                "can never run: a gang of \(job.minMembers) replicas must start together, and all of pool \(pool.id) holds at most \(most) such replicas at once")
        }
    }

    /// Refuses a GPU gang larger than the tenant's limit on every model it may use in the pool
    /// (or with no quota there at all): quotas can be raised, but until then it would wait forever.
    func requireWithinLimit(quotas: [Quota]) throws {
        guard r.gpus > 0 else { return }
        let ledger = QuotaLedger(quotas: quotas.filter { $0.tenant == job.tenant && $0.pool == pool.id })
        let models = Set(usableSpellings().map { canonical[$0] ?? $0 })
        let milli = job.minMembers * r.totalGPUMilli
        var limits: [String] = []
        for model in models.sorted() {
            guard let q = ledger.quota(tenant: job.tenant, pool: pool.id, model: model) else { continue }
            if q.limitMilli >= milli { return }
            limits.append("\(units(q.limitMilli)) GPUs" + (q.model == Quota.anyModel ? "" : " of \(q.model)"))
        }
        let needs = "it needs \(units(milli)) GPUs at once"
            + (job.minMembers > 1 ? " (a gang of \(job.minMembers) × \(units(r.totalGPUMilli)))" : "")
        guard !limits.isEmpty else {
            throw ReservoirError(.unsatisfiable, field: "request", "tenant \(job.tenant) has no quota in pool \(pool.id); \(needs)")
        }
        throw ReservoirError(
            .unsatisfiable, field: "request",
            "\(needs), above tenant \(job.tenant)'s limit in pool \(pool.id): \(Array(Set(limits)).sorted().joined(separator: ", "))")
    }

    // MARK: - Counting

    /// The device model spellings among the usable accelerators. A pool has a handful of spellings and
    /// thousands of devices (6,212 on openb): reading each device's model in place, skipping runs of one
    /// spelling, instead of copying every device into a flattened array on each submission.
    private func usableSpellings() -> Set<String> {
        var spellings = Set<String>()
        var last: String?
        for devices in usable.values {
            for i in devices.indices where devices[i].model != last {
                last = devices[i].model
                spellings.insert(devices[i].model)
            }
        }
        return spellings
    }

    /// The usable accelerators of a node that the job may use: allowed models, not failed, and in
    /// the MIG mode the request needs.
    private func gpus(of node: Node) -> [Device] { usable[node.id] ?? [] }

    private func model(_ d: Device) -> String { canonical[d.model] ?? d.model }

    /// How many replicas an empty `node` could hold at once.
    private func replicas(on node: Node) -> Int {
        var n = Int.max
        if r.cpuMilli > 0 { n = min(n, node.cpuMilli / r.cpuMilli) }
        if r.memoryMiB > 0 { n = min(n, node.memoryMiB / r.memoryMiB) }
        guard r.gpus > 0 else { return n }
        let devices = gpus(of: node)
        if let name = r.migProfile {
            return min(n, devices.reduce(0) { sum, d in sum + (MIGGeometry.profile(name, model: model(d)).map(MIGGeometry.capacity(of:)) ?? 0) })
        }
        if r.isShare {
            let perDevice = devices.reduce(0) { sum, d in
                let byMilli = 1000 / r.gpuMilli
                guard let memory = r.gpuMemoryMiB, d.memoryMiB > 0 else { return sum + byMilli }
                return sum + min(byMilli, d.memoryMiB / memory)
            }
            return min(n, perDevice)
        }
        return min(n, devices.count / r.gpus)
    }

    /// The first requirement no node of the pool meets even alone, with the largest value there.
    private func limitingResource() -> String {
        let place = "pool \(pool.id)"
        guard !nodes.isEmpty else { return "\(place) has no nodes" }
        if r.gpus > 0 {
            let offered = Set(nodes.flatMap { n in n.devices.filter { $0.kind != .cpu && $0.state != .failed } }.map(model))
            if !allowed.isEmpty, offered.isDisjoint(with: allowed) {
                return "needs \(allowed.sorted().joined(separator: "|")); \(place) has " + (offered.isEmpty ? "no GPUs" : offered.sorted().joined(separator: ", "))
            }
            if let name = r.migProfile {
                let models = Set(usableSpellings().map { canonical[$0] ?? $0 })
                if models.isEmpty { return "needs GPUs in MIG mode; \(place) has none" }
                return "MIG profile \(name) is not offered by \(models.sorted().joined(separator: ", ")); valid: "
                    + models.sorted().flatMap { MIGGeometry.profiles[$0]?.map(\.name) ?? [] }.joined(separator: ", ")
            }
            let most = nodes.map { gpus(of: $0).count }.max() ?? 0
            if most < r.gpus { return "needs \(r.gpus) GPUs per replica; the largest node in \(place) has \(most)" }
            if r.isShare, let memory = r.gpuMemoryMiB {
                let largest = nodes.flatMap(gpus(of:)).map(\.memoryMiB).max() ?? 0
                if largest < memory { return "needs \(memory) MiB of GPU memory; the largest device in \(place) has \(largest) MiB" }
            }
        }
        let cpu = nodes.map(\.cpuMilli).max() ?? 0
        if cpu < r.cpuMilli { return "needs \(units(r.cpuMilli)) CPU cores per replica; the largest node in \(place) has \(units(cpu))" }
        let memory = nodes.map(\.memoryMiB).max() ?? 0
        if memory < r.memoryMiB { return "needs \(r.memoryMiB) MiB of memory per replica; the largest node in \(place) has \(memory) MiB" }
        return "no single node in \(place) has \(r.gpus) GPUs, \(units(r.cpuMilli)) CPU cores and \(r.memoryMiB) MiB of memory together"
    }

    /// Milli-units (CPU cores, GPUs) as a plain number of units.
    private func units(_ milli: Int) -> String { milli % 1000 == 0 ? "\(milli / 1000)" : "\(Double(milli) / 1000)" }
}
