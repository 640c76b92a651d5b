/// Per-node memo of a score plugin's "node as it is now" value, keyed on `ClusterState.versions`
/// plus the node's free CPU, memory and GPU, so a cluster state rebuilt from scratch (versions back
/// at 0) cannot hit a stale entry. Also holds each node's model slot.
struct NodeCache: Sendable {
    private(set) var slots: [Int] = []
    private var entries: [(version: Int, cpu: Int, memory: Int, gpu: Int, value: Double)] = []
    private var ids: [NodeIDKey] = []

    private struct NodeIDKey: Hashable, Sendable { var raw: String }

    /// Rebuilds the slots when the cluster's node list is not the one seen last; true when it did.
    @discardableResult
    mutating func prepare(_ cluster: ClusterState, slot: (String) -> Int) -> Bool {
        if slots.count == cluster.nodes.count, ids.first?.raw == cluster.nodes.first?.id.rawValue,
           ids.last?.raw == cluster.nodes.last?.id.rawValue { return false }
        slots = cluster.nodes.map { slot($0.model) }
        ids = cluster.nodes.map { NodeIDKey(raw: $0.id.rawValue) }
        entries = Array(repeating: (-1, 0, 0, 0, 0), count: cluster.nodes.count)
        return true
    }

    /// The cached value for node `i`, if the node has not changed since it was stored.
    func lookup(_ i: Int, _ cluster: ClusterState) -> Double? {
        let node = cluster.nodes[i]
        let e = entries[i]
        guard e.version == cluster.versions[i], e.cpu == node.freeCPU, e.memory == node.freeMemory,
              e.gpu == node.freeGPUMilli else { return nil }
        return e.value
    }

    mutating func store(_ value: Double, _ i: Int, _ cluster: ClusterState) {
        let node = cluster.nodes[i]
        entries[i] = (cluster.versions[i], node.freeCPU, node.freeMemory, node.freeGPUMilli, value)
    }
}
