import ReservoirCore

/// A device as operators see it: its stored state, with `allocated` derived from what jobs hold.
public struct DeviceView: Codable, Sendable {
    public var id: String
    public var node: String
    public var pool: String
    public var index: Int
    public var kind: DeviceKind
    public var model: String
    public var memoryMiB: Int
    public var nvlinkIsland: Int?
    public var state: DeviceState
    public var allocatedMilli: Int
    /// True when the GPU is in MIG mode (takes only MIG instances).
    public var mig: Bool
}

public struct NodeView: Codable, Sendable {
    public var id: String
    public var pool: String
    public var state: NodeState
    public var model: String?
    public var cpuMilli: Int
    public var memoryMiB: Int
    public var allocatedCPUMilli: Int
    public var allocatedMemoryMiB: Int
    /// Accelerators on the node (GPUs and NPUs).
    public var gpus: Int
    /// GPUs held by admitted and running jobs (fractions for shares).
    public var allocatedGPUs: Double
    /// GPUs new work could get now: unallocated capacity of healthy devices on a ready node (0 when cordoned or down).
    public var freeGPUs: Double
    public var rack: String?
    public var labels: [String: String]
    public var taints: [Taint]
    public var devices: [DeviceView]
}

public struct PoolView: Codable, Sendable {
    public var id: String
    public var cluster: String
    public var region: String
    public var engine: EngineKind
    public var purpose: PoolPurpose
    public var sharing: GPUSharingMode
    public var reservedFraction: Double
    public var labels: [String: String]
    public var nodes: Int
    public var gpus: Int
    public var gpusByModel: [String: Int]
    public var allocatedGPUs: Double
    public var runningJobs: Int
    public var waitingJobs: Int
}

extension InventoryContext {
    /// Every node with its devices (to show one node).
    public func nodeViews(by principal: Principal) throws -> [NodeView] {
        try access.requireAny(principal, .readInventory)
        return try nodeViews(of: try store.inventory().nodes)
    }

    /// A page of nodes by id, of one pool or in one state when asked.
    public func nodeViews(pool: PoolID?, state: NodeState?, page: PageRequest, by principal: Principal) throws -> Page<NodeView> {
        try access.requireAny(principal, .readInventory)
        let nodes = try store.nodes(pool: pool, state: state, page: page)
        return Page(items: try nodeViews(of: nodes.items), next: nodes.next)
    }

    /// A page of devices by node and index that match every filter given. Devices live in their node's
    /// record, so the page is cut from all of them (an inventory is at most a few thousand nodes).
    public func deviceViews(pool: String?, node: String?, model: String?, state: DeviceState?, page: PageRequest, by principal: Principal) throws -> Page<DeviceView> {
        let devices = try nodeViews(by: principal).filter { pool == nil || $0.pool == pool }.flatMap(\.devices).filter {
            (node == nil || $0.node == node) && (model == nil || $0.model == model) && (state == nil || $0.state == state)
        }
        return Page(sorted: devices, by: { [$0.node, String(repeating: "0", count: max(0, 6 - String($0.index).count)) + String($0.index)] }, for: page)
    }

    /// A page of pools by id.
    public func poolViews(page: PageRequest, by principal: Principal) throws -> Page<PoolView> {
        Page(sorted: try poolViews(by: principal), by: { [$0.id] }, for: page)
    }

    /// Nodes as operators see them: allocation derived from what admitted and running jobs hold (from
    /// the jobs' view: no decode of every job per request).
    func nodeViews(of nodes: [Node]) throws -> [NodeView] {
        let active = try jobView.unfinished(store).active
        var milli: [DeviceID: Int] = [:]
        var cpu: [NodeID: Int] = [:]
        var memory: [NodeID: Int] = [:]
        for job in active {
            for p in job.placements {
                cpu[p.node, default: 0] += p.cpuMilli
                memory[p.node, default: 0] += p.memoryMiB
                for i in p.deviceIndices { milli[Device.id(node: p.node, index: i), default: 0] += p.gpuMilli }
            }
        }
        return nodes.map { node in
            let accelerators = node.devices.filter { $0.kind != .cpu }
            let allocated = accelerators.reduce(0) { $0 + (milli[$1.id] ?? 0) }
            let free = node.state == .ready ? accelerators.filter(\.state.isSchedulable).reduce(0) { $0 + max(0, 1000 - (milli[$1.id] ?? 0)) } : 0
            return NodeView(
                id: node.id.rawValue, pool: node.pool.rawValue, state: node.state, model: node.gpuModel, cpuMilli: node.cpuMilli,
                memoryMiB: node.memoryMiB, allocatedCPUMilli: cpu[node.id] ?? 0, allocatedMemoryMiB: memory[node.id] ?? 0,
                gpus: accelerators.count, allocatedGPUs: Double(allocated) / 1000, freeGPUs: Double(free) / 1000,
                rack: node.rack, labels: node.labels, taints: node.taints,
                devices: node.devices.map { d in
                    let used = milli[d.id] ?? 0
                    return DeviceView(
                        id: d.id.rawValue, node: node.id.rawValue, pool: node.pool.rawValue, index: d.index, kind: d.kind, model: d.model,
                        memoryMiB: d.memoryMiB, nvlinkIsland: d.nvlinkIsland,
                        state: d.state == .available && used > 0 ? .allocated : d.state, allocatedMilli: used, mig: d.inMIGMode)
                })
        }
    }

    public func poolViews(by principal: Principal) throws -> [PoolView] {
        try access.requireAny(principal, .readInventory)
        let inventory = try store.inventory()
        let unfinished = try jobView.unfinished(store)
        let jobs = unfinished.active + unfinished.pending
        let regionOf = Dictionary(uniqueKeysWithValues: inventory.clusters.map { ($0.id, $0) })
        return inventory.pools.map { pool in
            let nodes = inventory.nodes.filter { $0.pool == pool.id }
            var byModel: [String: Int] = [:]
            for n in nodes { for d in n.devices where d.kind != .cpu { byModel[d.model, default: 0] += 1 } }
            let mine = jobs.filter { $0.pool == pool.id }
            let running = mine.filter { $0.state.holdsDevices }
            return PoolView(
                id: pool.id.rawValue, cluster: pool.cluster.rawValue, region: regionOf[pool.cluster]?.region.rawValue ?? "",
                engine: regionOf[pool.cluster]?.engine ?? .simulated, purpose: pool.purpose, sharing: pool.sharing,
                reservedFraction: pool.reservedFraction, labels: pool.labels, nodes: nodes.count, gpus: byModel.values.reduce(0, +),
                gpusByModel: byModel, allocatedGPUs: Double(running.reduce(0) { $0 + $1.totalGPUMilli }) / 1000,
                runningJobs: running.count, waitingJobs: mine.count - running.count)
        }
    }
}
