import ReservoirCore
import ReservoirPlacement

/// Places the replicas of one job, all or none, with the placement module's filters and score
/// plugin, preferring topology closeness for gangs and multi-GPU replicas.
///
/// Per replica: walk the candidate nodes (only nodes of an allowed model, see
/// `PoolCapacity.candidates`), skip those whose free CPU/memory/GPU cannot hold the pod (a cheap
/// check that spares the filter chain on full nodes), run the filters, score the survivors, and
/// take the best by (topology tier, score, lowest index). Topology tier: 2 on a node that already
/// holds a replica of this gang, 1 in a rack that does, 0 elsewhere; on the chosen node, a
/// multi-GPU replica takes devices of one NVLink island when one island has enough free devices.
///
/// Example: a 2×4-GPU gang on two empty 8-GPU nodes (islands 0–3 and 4–7) goes to one node
/// (tier 2 for the second replica), replica 0 on island {0,1,2,3}, replica 1 on {4,5,6,7}.
///
/// Cost: O(replicas × candidates) cheap checks; filters and scoring only on nodes that can fit, and
/// for a single replica at most `nodesToScore` of them (the search then resumes there next time).
struct GangPlacer {
    var filters: [any FilterPlugin] {
        didSet { split() }
    }
    /// The filters that read only a node's fixed description (answered once per constraint set,
    /// see `Rejections`), and the others, asked per node in order.
    private(set) var descriptionFilters: [any FilterPlugin] = []
    private var stateFilters: [any FilterPlugin] = []
    /// Per state filter, whether it is the resource fit (called statically).
    private var isResourceFit: [Bool] = []
    var scorer: any ScorePlugin
    var topologyAware: Bool
    /// Feasible nodes scored per single replica before the best so far wins (kube-scheduler's
    /// `percentageOfNodesToScore`, as a count); 0 scores every feasible node. Gangs and multi-GPU
    /// replicas always score every node, for topology.
    var nodesToScore: Int = 0
    /// Where the next limited search starts, so successive pods spread over the candidate list.
    var cursor = 0

    init(filters: [any FilterPlugin], scorer: any ScorePlugin, topologyAware: Bool, nodesToScore: Int = 0) {
        self.filters = filters
        self.scorer = scorer
        self.topologyAware = topologyAware
        self.nodesToScore = nodesToScore
        split()
    }

    /// Description filters run first, so they must come first in `filters` (as in `DefaultFilters.all`)
    /// for the first rejection reason to stay the one the full chain would give.
    private mutating func split() {
        descriptionFilters = Array(filters.prefix { $0.dependsOn == .description })
        stateFilters = Array(filters.dropFirst(descriptionFilters.count))
        isResourceFit = stateFilters.map { $0.dependsOn == .resources }
    }

    /// Per node of a pool, the first description filter that rejects a pod's constraints (nil: all
    /// pass). It depends only on the constraints and the nodes' fixed descriptions, so the session
    /// computes it once per (pool, constraints) and every placement of the cycle reuses it.
    func rejections(_ pod: PodRequest, nodes: [NodeCapacity]) -> [String?] {
        nodes.map { node in
            for filter in descriptionFilters { if let reason = filter.reject(pod, on: node) { return reason } }
            return nil
        }
    }

    enum Outcome {
        case placed([Placement])
        /// `placed` replicas fitted before one did not; `reasons` counts, per filter reason, the
        /// nodes of the pool that rejected the next replica.
        case failed(placed: Int, reasons: [String: Int])
    }

    /// Places `count` replicas and applies them to `state`; on failure `state` is unchanged.
    ///
    /// `rejected` is `rejections(pod, nodes:)` for the state's nodes; nil runs the whole filter chain on every node.
    mutating func place(_ pod: PodRequest, count: Int, candidates: [Int], rejected: [String?]?, in state: inout ClusterState) -> Outcome {
        var taken: [Placement] = []
        var gangNodes: Set<Int> = []
        var gangRacks: Set<String> = []
        let preferClose = topologyAware && (count > 1 || pod.gpus > 1)
        let limit = preferClose || nodesToScore <= 0 ? Int.max : nodesToScore
        for _ in 0..<count {
            scorer.prepare(pod, in: state)
            var best: (node: Int, tier: Int, score: Double)?
            var scored = 0
            let start = candidates.isEmpty ? 0 : cursor % candidates.count
            for k in candidates.indices {
                let i = candidates[(start + k) % candidates.count]
                guard Self.mayFit(pod, state.nodes[i]), passes(pod, state.nodes[i], described: rejected.map { $0[i] }) else { continue }
                scored += 1
                if scored > limit {
                    cursor = start + k
                    break
                }
                let score = scorer.score(pod, node: i, in: state)
                var tier = 0
                if preferClose {
                    if gangNodes.contains(i) { tier = 2 } else if let rack = state.nodes[i].rack, gangRacks.contains(rack) { tier = 1 }
                }
                if let b = best, (tier, score) <= (b.tier, b.score) { continue }
                best = (i, tier, score)
            }
            guard let best else {
                for p in taken.reversed() { state.release(p, for: pod) }
                return .failed(placed: taken.count, reasons: reasons(pod, in: state, rejected: rejected))
            }
            var gpus = scorer.devices(for: pod, node: best.node, in: state)
            if preferClose, pod.gpus > 1, let island = Self.island(for: pod.gpus, on: state.nodes[best.node]) { gpus = island }
            let placement = Placement(node: best.node, gpuIndices: gpus, gpuMilli: pod.gpus == 0 ? 0 : pod.gpuMilli)
            state.apply(placement, for: pod)
            taken.append(placement)
            gangNodes.insert(best.node)
            if let rack = state.nodes[best.node].rack { gangRacks.insert(rack) }
        }
        return .placed(taken)
    }

    /// The non-description filters; the resource fit is called statically (no existential call).
    /// `described` is the node's known description-filter answer (double optional: nil when unknown,
    /// then the whole chain runs).
    private func passes(_ pod: PodRequest, _ node: NodeCapacity, described: String??) -> Bool {
        guard let described else {
            for filter in filters where filter.reject(pod, on: node) != nil { return false }
            return true
        }
        if described != nil { return false }
        for k in stateFilters.indices {
            if isResourceFit[k] {
                if ResourceFitFilter.check(pod, node) != nil { return false }
            } else if stateFilters[k].reject(pod, on: node) != nil {
                return false
            }
        }
        return true
    }

    /// The first rejection of the whole filter chain for one node.
    private func rejection(_ pod: PodRequest, _ node: NodeCapacity, described: String??) -> String? {
        guard let described else { return filters.lazy.compactMap { $0.reject(pod, on: node) }.first }
        if let described { return described }
        for k in stateFilters.indices {
            if let reason = isResourceFit[k] ? ResourceFitFilter.check(pod, node) : stateFilters[k].reject(pod, on: node) { return reason }
        }
        return nil
    }

    /// The free-capacity part of `ResourceFitFilter`, inlined so full nodes cost a few compares.
    static func mayFit(_ pod: PodRequest, _ node: NodeCapacity) -> Bool {
        guard node.freeCPU >= pod.cpuMilli, node.freeMemory >= pod.memoryMiB else { return false }
        if pod.gpus == 0 { return true }
        if pod.isShare { return node.gpuFree.contains { $0 >= pod.gpuMilli } }
        var free = 0
        for f in node.gpuFree where f == 1000 { free += 1 }
        return free >= pod.gpus
    }

    /// Per filter reason, how many nodes of the whole pool reject the pod (the explain answer).
    func reasons(_ pod: PodRequest, in state: ClusterState, rejected: [String?]?) -> [String: Int] {
        var out: [String: Int] = [:]
        for (i, node) in state.nodes.enumerated() {
            if let reason = rejection(pod, node, described: rejected.map { $0[i] }) { out[reason, default: 0] += 1 }
        }
        return out
    }

    /// `count` fully free devices inside one NVLink island, from the tightest island that has enough.
    static func island(for count: Int, on node: NodeCapacity) -> [Int]? {
        var byIsland: [Int: [Int]] = [:]
        for (g, free) in node.gpuFree.enumerated() where free == 1000 {
            guard let island = node.islands[g] else { continue }
            byIsland[island, default: []].append(g)
        }
        let fitting = byIsland.filter { $0.value.count >= count }
        guard let best = fitting.min(by: { ($0.value.count, $0.key) < ($1.value.count, $1.key) }) else { return nil }
        return Array(best.value.prefix(count))
    }
}
