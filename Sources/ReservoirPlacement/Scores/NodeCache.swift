/// Per-node memo of a score plugin's "node as it is now" value, keyed on `ClusterState.versions`
/// (plus the node's free CPU, memory and GPU as a guard); everything is dropped when the cluster
/// state was rebuilt (`ClusterIdentity`). Also holds each node's model slot.
struct NodeCache: Sendable {
    private(set) var slots: [Int] = []
    private var entries: [(version: Int, cpu: Int, memory: Int, gpu: Int, value: Double)] = []
    private var identity = ClusterIdentity()

    /// Rebuilds the slots when the cluster's node list is not the one seen last; true when it did.
    @discardableResult
    mutating func prepare(_ cluster: ClusterState, slot: (String) -> Int) -> Bool {
        if identity.same(as: cluster) { return false }
        slots = cluster.nodes.map { slot($0.model) }
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
