import ReservoirCore
import ReservoirPlacement

/// Places the replicas of one job, all or none, with the placement module's filters and score
/// plugin, preferring topology closeness for gangs and multi-GPU replicas.
///
/// Per replica: walk the candidate nodes (only nodes of an allowed model, see
/// `PoolCapacity.candidates`), skip those whose free CPU/memory/GPU cannot hold the pod (a cheap
/// check that spares the filter chain on full nodes), run the filters (the description filters'
/// answers come precomputed per pool and constraint set, see `FilterChain` and `Session.rejected`),
/// score the survivors, and
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
    /// The filter plugins, split for reuse (see `FilterChain`).
    let chain: FilterChain
    var filters: [any FilterPlugin] { chain.all }
    var scorer: any ScorePlugin
    var topologyAware: Bool
    /// Feasible nodes scored per single replica before the best so far wins (kube-scheduler's
    /// `percentageOfNodesToScore`, as a count); 0 scores every feasible node. Gangs and multi-GPU
    /// replicas always score every node, for topology.
    var nodesToScore: Int = 0
    /// Where the next limited search starts, so successive pods spread over the candidate list.
    var cursor = 0

    init(filters: [any FilterPlugin], scorer: any ScorePlugin, topologyAware: Bool, nodesToScore: Int = 0) {
        chain = FilterChain(filters)
        self.scorer = scorer
        self.topologyAware = topologyAware
        self.nodesToScore = nodesToScore
    }

    /// Per node of a pool, the first description filter that rejects a pod's constraints (nil: all
    /// pass). It depends only on the constraints and the nodes' fixed descriptions, so the session
    /// computes it once per (pool, constraints) and every placement of the cycle reuses it.
    func rejections(_ pod: PodRequest, nodes: [NodeCapacity]) -> [String?] {
        chain.rejections(pod, nodes: nodes)
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
    /// `explain: false` leaves a failure's `reasons` empty (an O(nodes) count nobody reads for probes).
    mutating func place(
        _ pod: PodRequest, count: Int, candidates: [Int], rejected: [String?]?, explain: Bool = true, in state: inout ClusterState
    ) -> Outcome {
        var taken: [Placement] = []
        var gangNodes: Set<Int> = []
        var gangRacks: Set<String> = []
        let preferClose = topologyAware && (count > 1 || pod.gpus > 1)
        let limit = preferClose || nodesToScore <= 0 ? Int.max : nodesToScore
        for _ in 0..<count {
            scorer.prepare(pod, in: state)
            let best = search(
                pod, candidates: candidates, rejected: rejected, limit: limit, preferClose: preferClose,
                gangNodes: gangNodes, gangRacks: gangRacks, state: state
            )
            guard let best else {
                for p in taken.reversed() { state.release(p, for: pod) }
                return .failed(placed: taken.count, reasons: explain ? chain.reasons(pod, in: state, rejected: rejected) : [:])
            }
            let placement: Placement
            if let mig = MIGGeometry.placement(pod, node: best.node, in: state) {
                placement = mig
            } else {
                var gpus = DeviceChoice.honouringShareMemory(scorer.devices(for: pod, node: best.node, in: state), pod, on: state.nodes[best.node])
                if preferClose, pod.gpus > 1, let island = Self.island(for: pod.gpus, on: state.nodes[best.node]) { gpus = island }
                placement = Placement(node: best.node, gpuIndices: gpus, gpuMilli: pod.gpus == 0 ? 0 : pod.gpuMilli)
            }
            state.apply(placement, for: pod)
            taken.append(placement)
            gangNodes.insert(best.node)
            if let rack = state.nodes[best.node].rack { gangRacks.insert(rack) }
        }
        return .placed(taken)
    }

    /// One replica's search: walk the candidates from the cursor, take the best feasible node by
    /// (topology tier, score, lowest index) among the first `limit` (the cursor then moves there).
    /// The state is borrowed, not inout, so reading a node copies nothing.
    private mutating func search(
        _ pod: PodRequest, candidates: [Int], rejected: [String?]?, limit: Int, preferClose: Bool,
        gangNodes: Set<Int>, gangRacks: Set<String>, state: ClusterState
    ) -> (node: Int, tier: Int, score: Double)? {
        var best: (node: Int, tier: Int, score: Double)?
        var scored = 0
        let n = candidates.count
        let start = n == 0 ? 0 : cursor % n
        let chain = self.chain
        // The usual chain (description filters, then the resource fit) with known answers: a few
        // compares per node, no existential calls.
        let mask = rejected ?? []
        let fast = rejected != nil && chain.onlyResourceFit
        for k in 0..<n {
            let at = start + k
            let i = candidates[at < n ? at : at - n]
            guard Self.mayFit(pod, state.nodes[i]) else { continue }
            if fast {
                guard mask[i] == nil, ResourceFitFilter.check(pod, state.nodes[i]) == nil else { continue }
            } else {
                guard chain.passes(pod, state.nodes[i], described: rejected.map { $0[i] }) else { continue }
            }
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
        return best
    }

    /// The free-capacity part of `ResourceFitFilter`, inlined so full nodes cost a few compares.
    static func mayFit(_ pod: PodRequest, _ node: NodeCapacity) -> Bool {
        guard node.freeCPU >= pod.cpuMilli, node.freeMemory >= pod.memoryMiB else { return false }
        if pod.gpus == 0 { return true }
        // A MIG instance fits by the model's slice geometry, which the resource fit checks.
        if pod.migProfile != nil { return node.migEnabled }
        if pod.isShare { return node.gpuFree.contains { $0 >= pod.gpuMilli } }
        var free = 0
        for f in node.gpuFree where f == 1000 { free += 1 }
        return free >= pod.gpus
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

/// A placer's filter plugins, split once: the description filters (health, model, selector,
/// taints), whose answers the session reuses per pod constraint set, and the rest, asked per node
/// in order (the resource fit statically). Description filters must come first in the list (as in
/// `DefaultFilters.all`) so the first rejection stays the one the whole chain would give.
struct FilterChain {
    let all: [any FilterPlugin]
    let description: [any FilterPlugin]
    let others: [any FilterPlugin]
    /// Per filter of `others`, whether it is the resource fit.
    let isResourceFit: [Bool]
    /// True when the resource fit is the only filter after the description ones.
    let onlyResourceFit: Bool

    init(_ filters: [any FilterPlugin]) {
        all = filters
        description = Array(filters.prefix { $0.dependsOn == .description })
        others = Array(filters.dropFirst(description.count))
        isResourceFit = others.map { $0.dependsOn == .resources }
        onlyResourceFit = isResourceFit == [true]
    }

    func rejections(_ pod: PodRequest, nodes: [NodeCapacity]) -> [String?] {
        nodes.map { node in
            for filter in description { if let reason = filter.reject(pod, on: node) { return reason } }
            return nil
        }
    }

    /// The non-description filters; the resource fit is called statically (no existential call).
    /// `described` is the node's known description-filter answer (double optional: nil when unknown,
    /// then the whole chain runs).
    func passes(_ pod: PodRequest, _ node: NodeCapacity, described: String??) -> Bool {
        guard let described else {
            for filter in all where filter.reject(pod, on: node) != nil { return false }
            return true
        }
        if described != nil { return false }
        for k in others.indices {
            if isResourceFit[k] {
                if ResourceFitFilter.check(pod, node) != nil { return false }
            } else if others[k].reject(pod, on: node) != nil {
                return false
            }
        }
        return true
    }

    /// The first rejection of the whole filter chain for one node.
    func rejection(_ pod: PodRequest, _ node: NodeCapacity, described: String??) -> String? {
        guard let described else { return all.lazy.compactMap { $0.reject(pod, on: node) }.first }
        if let described { return described }
        for k in others.indices {
            if let reason = isResourceFit[k] ? ResourceFitFilter.check(pod, node) : others[k].reject(pod, on: node) { return reason }
        }
        return nil
    }

    /// Per filter reason, how many nodes of the whole pool reject the pod (the explain answer).
    func reasons(_ pod: PodRequest, in state: ClusterState, rejected: [String?]?) -> [String: Int] {
        var out: [String: Int] = [:]
        for i in state.nodes.indices {
            if let reason = rejection(pod, state.nodes[i], described: rejected.map { $0[i] }) { out[reason, default: 0] += 1 }
        }
        return out
    }

}
