import ReservoirCore
import ReservoirPlacement

/// The placement view of one pool: its nodes as `NodeCapacity`, with what active jobs hold taken out.
/// Jobs only ever land inside their own pool, so each pool is its own `ClusterState`.
///
/// Besides the free capacity *now* it can hold a backfill view (`plan`): the capacity at the
/// reserved job's start with that job already placed, and the node-wise minimum of both. A job
/// that runs past the reservation is placed on the minimum, so it fits now *and* at the reservation.
struct PoolCapacity {
    var pool: Pool
    var state: ClusterState
    /// Node id → index into `state.nodes`.
    let index: [NodeID: Int]
    /// Canonical model → indices of the nodes with that model, ascending (the candidate list of a GPU pod).
    let nodesByModel: [String: [Int]]
    let allNodes: [Int]
    /// Indices of the nodes with GPUs, ascending.
    let gpuNodes: [Int]
    /// The pool's canonical models, sorted.
    let models: [String]
    /// Usable GPU milli per canonical model (fixed for the cycle).
    let totalByModel: [String: Int]
    /// Free GPU milli on schedulable nodes per canonical model, kept in step by `take`/`give`.
    private(set) var freeByModel: [String: Int]
    var plan: BackfillPlan?
    /// Bumped on every `take`/`give`, so answers computed from free capacity can be cached per version.
    private(set) var version = 0

    /// `classes` and `unreliable` come from the devices' resource profiles (empty when not profiled).
    init(pool: Pool, nodes: [Node], catalog: GPUCatalog, classes: [DeviceID: DeviceClass] = [:], unreliable: Set<DeviceID> = []) {
        self.pool = pool
        let capacities = nodes.map { node in
            let accelerators = node.devices.filter { $0.kind != .cpu }.sorted { $0.index < $1.index }
            let model = node.gpuModel.map { catalog.canonicalName($0) ?? $0 } ?? ""
            return NodeCapacity(
                id: node.id, pool: node.pool, model: model, gpuCount: accelerators.count, cpuMilli: node.cpuMilli,
                memoryMiB: node.memoryMiB, labels: node.labels, taints: node.taints, rack: node.rack,
                islands: accelerators.map(\.nvlinkIsland),
                unusable: Set(accelerators.filter { !$0.state.isSchedulable }.map(\.index)),
                schedulable: node.state == .ready,
                migEnabled: !accelerators.isEmpty && accelerators.allSatisfy(\.inMIGMode),
                gpuMemoryMiB: accelerators.map { $0.memoryMiB > 0 ? $0.memoryMiB : Int.max / 2 },
                deviceClass: accelerators.first.flatMap { classes[$0.id] },
                recentFaults: Set(accelerators.filter { unreliable.contains($0.id) }.map(\.index))
            )
        }
        state = ClusterState(nodes: capacities)
        var index: [NodeID: Int] = [:]
        var byModel: [String: [Int]] = [:]
        for (i, n) in capacities.enumerated() {
            index[n.id] = i
            if n.gpuCount > 0 { byModel[n.model, default: []].append(i) }
        }
        self.index = index
        self.nodesByModel = byModel
        self.allNodes = Array(capacities.indices)
        self.gpuNodes = capacities.indices.filter { capacities[$0].gpuCount > 0 }
        self.models = byModel.keys.sorted()
        var total: [String: Int] = [:]
        for n in capacities where n.gpuCount > 0 { total[n.model, default: 0] += n.totalGPUMilli }
        totalByModel = total
        var free: [String: Int] = [:]
        for n in capacities where n.gpuCount > 0 && n.schedulable { free[n.model, default: 0] += n.freeGPUMilli }
        freeByModel = free
    }

    /// Takes a placement now (and in the backfill view at the reservation when `pastPlan`).
    mutating func take(_ p: Placement, for pod: PodRequest, pastPlan: Bool) {
        state.apply(p, for: pod)
        adjustFree(p, by: -1)
        version &+= 1
        if plan != nil {
            if pastPlan { plan!.atStart.apply(p, for: pod) }
            plan!.refresh(p.node, now: state)
        }
    }

    /// Gives back what `take` took.
    mutating func give(_ p: Placement, for pod: PodRequest, pastPlan: Bool) {
        state.release(p, for: pod)
        adjustFree(p, by: 1)
        version &+= 1
        if plan != nil {
            if pastPlan { plan!.atStart.release(p, for: pod) }
            plan!.refresh(p.node, now: state)
        }
    }

    private mutating func adjustFree(_ p: Placement, by sign: Int) {
        let node = state.nodes[p.node]
        guard node.gpuCount > 0, node.schedulable, !p.gpuIndices.isEmpty else { return }
        freeByModel[node.model, default: 0] += sign * p.gpuMilli * p.gpuIndices.count
    }

    /// Free GPU milli over the allowed models (all when nil).
    func freeMilli(models: Set<String>?) -> Int {
        guard let models else { return freeByModel.values.reduce(0, +) }
        return models.reduce(0) { $0 + freeByModel[$1, default: 0] }
    }

    /// Nodes worth trying for a pod: those of its allowed models for GPU pods, all for CPU-only pods.
    func candidates(for pod: PodRequest) -> [Int] {
        guard pod.gpus > 0 else { return allNodes }
        guard let models = pod.models else { return gpuNodes }
        if models.count == 1, let only = models.first { return nodesByModel[only] ?? [] }
        return models.sorted().flatMap { nodesByModel[$0] ?? [] }.sorted()
    }
}

/// The backfill view of a pool while a job holds a reservation in it.
struct BackfillPlan {
    var job: JobID
    var start: Double
    /// Free capacity at `start`, with the reserved job placed.
    var atStart: ClusterState
    /// Node-wise minimum of the pool's free capacity now and `atStart`.
    var both: ClusterState
    var nodes: [NodeID]

    /// Recomputes the minimum for node `i` after `now` or `atStart` changed there.
    mutating func refresh(_ i: Int, now: ClusterState) {
        var n = now.nodes[i]
        let later = atStart.nodes[i]
        n.freeCPU = min(n.freeCPU, later.freeCPU)
        n.freeMemory = min(n.freeMemory, later.freeMemory)
        for g in n.gpuFree.indices {
            n.gpuFree[g] = min(n.gpuFree[g], later.gpuFree[g])
            n.gpuMemoryFree[g] = min(n.gpuMemoryFree[g], later.gpuMemoryFree[g])
            n.migSlices[g] |= later.migSlices[g]
        }
        both.nodes[i] = n
        // Bump the node's version so score plugins that cache per node see the change.
        let nothing = PodRequest(cpuMilli: 0, memoryMiB: 0, gpus: 0, gpuMilli: 0)
        both.apply(Placement(node: i, gpuIndices: [], gpuMilli: 0), for: nothing)
    }
}

extension Job {
    /// One replica's request in placement units; `models` narrows the allowed models (quota). The
    /// only place a job becomes pod requests, so its kind reaches profile matching wherever it is placed.
    func podRequest(models: Set<String>?) -> PodRequest {
        PodRequest(
            cpuMilli: request.cpuMilli, memoryMiB: request.memoryMiB, gpus: request.gpus, gpuMilli: request.gpuMilli,
            models: models, nodeSelector: request.nodeSelector, tolerations: request.tolerations,
            migProfile: request.migProfile, gpuMemoryMiB: request.gpuMemoryMiB ?? 0, kind: kind
        )
    }

    /// Elastic bounds: the gang floor and the ceiling the job may grow to.
    var replicaBounds: (min: Int, max: Int) { (minMembers, max(replicas, maxReplicas ?? replicas)) }
}
