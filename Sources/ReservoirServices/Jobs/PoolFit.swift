import Foundation
import ReservoirCore
import ReservoirPlacement

/// What a pool offers a replica of one request shape, on empty nodes (failed devices left out): how many
/// replicas each node could hold, the catalog models the request may use there, and, when no node
/// could hold one, the first requirement none meets. Depends only on the request, the pool's nodes and
/// the catalog, so `PoolFitMemo` keeps it per inventory generation.
struct PoolFit: Sendable {
    /// Replicas each of the pool's nodes could hold at once, in inventory order.
    let perNode: [Int]
    /// The canonical catalog names of the usable accelerators' models.
    let models: Set<String>
    /// Why no node could ever hold a replica; nil when one can.
    let limiting: String?

    init(request: ResourceRequest, pool: Pool, inventory: Inventory, catalog: GPUCatalog) {
        let counting = Counting(request: request, pool: pool, inventory: inventory, catalog: catalog)
        perNode = counting.nodes.map(counting.replicas(on:))
        models = Set(counting.usableSpellings().map { counting.canonical[$0] ?? $0 })
        limiting = perNode.contains(where: { $0 > 0 }) ? nil : counting.limitingResource()
    }
}

/// The counting behind a `PoolFit`: every node and device of the pool, once per request shape.
private struct Counting {
    let pool: Pool
    let nodes: [Node]
    let r: ResourceRequest
    /// The canonical catalog name of each device model spelling in the pool, looked up once: a
    /// catalog lookup per device (9,704 on openb) was most of a submission's CPU.
    let canonical: [String: String]
    private let allowed: Set<String>
    /// Each node's usable accelerators (`gpus(of:)`), filtered once: a fit asks per node twice.
    private let usable: [NodeID: [Device]]

    init(request: ResourceRequest, pool: Pool, inventory: Inventory, catalog: GPUCatalog) {
        self.pool = pool
        self.r = request
        self.nodes = inventory.nodes.filter { $0.pool == pool.id }
        let spellings = Set(nodes.lazy.flatMap(\.devices).map(\.model))
        self.canonical = Dictionary(uniqueKeysWithValues: spellings.map { ($0, catalog.canonicalName($0) ?? $0) })
        self.allowed = Set(request.models)
        let (canonical, allowed) = (self.canonical, self.allowed)
        self.usable = Dictionary(nodes.map { node in
            (node.id, node.devices.filter { d in
                d.kind != .cpu && d.state != .failed && d.inMIGMode == (request.migProfile != nil)
                    && (allowed.isEmpty || allowed.contains(canonical[d.model] ?? d.model))
            })
        }, uniquingKeysWith: { first, _ in first })
    }

    private func units(_ milli: Int) -> String { Feasibility.units(milli) }

    /// The device model spellings among the usable accelerators. A pool has a handful of spellings and
    /// thousands of devices (6,212 on openb): reading each device's model in place, skipping runs of one
    /// spelling, instead of copying every device into a flattened array on each submission.
    func usableSpellings() -> Set<String> {
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
    func replicas(on node: Node) -> Int {
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
    func limitingResource() -> String {
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
}

/// The `PoolFit`s of the request shapes submitted lately, valid for one inventory generation (the
/// store's `inventoryGeneration`, which moves on any write of a region, cluster, pool, node or catalog
/// model): a fit of another generation is never served. Bounded: at most `capacity` shapes, emptied
/// when full. Shared by every copy of the jobs context (a class).
final class PoolFitMemo: @unchecked Sendable {
    private struct Key: Hashable {
        var pool: PoolID
        var request: ResourceRequest
    }

    static let capacity = 256
    private let lock = NSLock()
    private var generation: Int64 = -1
    private var fits: [Key: PoolFit] = [:]

    /// The fit of `request` in `pool` at `generation`, computed by `compute` when not kept. A fit computed
    /// from an inventory newer than `generation` (read in between) is kept under the older generation,
    /// which the next submission no longer asks for: never stale, at worst computed once more.
    func fit(pool: PoolID, request: ResourceRequest, generation: Int64, compute: () -> PoolFit) -> PoolFit {
        let key = Key(pool: pool, request: request)
        if let fit = lock.withLock({ self.generation == generation ? fits[key] : nil }) { return fit }
        let fit = compute()
        lock.withLock {
            if self.generation != generation {
                guard generation > self.generation else { return }
                self.generation = generation
                fits = [:]
            }
            if fits.count >= Self.capacity { fits = [:] }
            fits[key] = fit
        }
        return fit
    }
}
