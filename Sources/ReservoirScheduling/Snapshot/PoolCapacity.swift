import ReservoirCore
import ReservoirPlacement

/// The placement view of one pool: its nodes as `NodeCapacity`, with what active jobs hold taken out.
/// Jobs only ever land inside their own pool, so each pool is its own `ClusterState`.
struct PoolCapacity {
    var pool: Pool
    var state: ClusterState
    /// Node id → index into `state.nodes`.
    let index: [NodeID: Int]

    init(pool: Pool, nodes: [Node], catalog: GPUCatalog) {
        self.pool = pool
        let capacities = nodes.map { node in
            let accelerators = node.devices.filter { $0.kind != .cpu }.sorted { $0.index < $1.index }
            let model = node.gpuModel.map { catalog.canonicalName($0) ?? $0 } ?? ""
            return NodeCapacity(
                id: node.id, pool: node.pool, model: model, gpuCount: accelerators.count, cpuMilli: node.cpuMilli,
                memoryMiB: node.memoryMiB, labels: node.labels, taints: node.taints, rack: node.rack,
                islands: accelerators.map(\.nvlinkIsland),
                unusable: Set(accelerators.filter { !$0.state.isSchedulable }.map(\.index)),
                schedulable: node.state == .ready
            )
        }
        state = ClusterState(nodes: capacities)
        var index: [NodeID: Int] = [:]
        for (i, n) in capacities.enumerated() { index[n.id] = i }
        self.index = index
    }

    /// Takes out what an active job holds. Placements on nodes that left the pool are ignored.
    mutating func hold(_ job: Job) {
        for p in job.placements {
            guard let i = index[p.node] else { continue }
            state.apply(Placement(node: i, gpuIndices: p.deviceIndices, gpuMilli: p.gpuMilli), for: job.podRequest(models: nil))
        }
    }

    /// GPU milli of the pool's usable devices, per canonical model.
    func totalMilliByModel() -> [String: Int] {
        var out: [String: Int] = [:]
        for n in state.nodes where n.gpuCount > 0 { out[n.model, default: 0] += n.totalGPUMilli }
        return out
    }

    /// Free GPU milli on schedulable nodes, per canonical model.
    func freeMilliByModel() -> [String: Int] {
        var out: [String: Int] = [:]
        for n in state.nodes where n.gpuCount > 0 && n.schedulable { out[n.model, default: 0] += n.freeGPUMilli }
        return out
    }
}

extension Job {
    /// One replica's request in placement units; `models` narrows the allowed models (quota).
    func podRequest(models: Set<String>?) -> PodRequest {
        PodRequest(
            cpuMilli: request.cpuMilli, memoryMiB: request.memoryMiB, gpus: request.gpus, gpuMilli: request.gpuMilli,
            models: models, nodeSelector: request.nodeSelector, tolerations: request.tolerations,
            migProfile: request.migProfile
        )
    }
}
