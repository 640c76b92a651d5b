/// Remembers which node descriptions a cache was built for. Caches that hold per-node answers
/// (description filters, model slots, scores keyed on `ClusterState.versions`) start over when the
/// cluster state was rebuilt, e.g. by the scheduler's next cycle, because node health, labels or
/// taints may have changed and versions restart at 0.
///
/// It holds the descriptions themselves, not their addresses: a freed description's address can be
/// reused by the next cluster's, which would make a rebuilt cluster look unchanged.
struct ClusterIdentity: @unchecked Sendable {
    /// Immutable boxes (`NodeCapacity.identity`), only compared by reference.
    private var nodes: [AnyObject] = []

    /// True when `cluster` holds the same node descriptions, in the same order, as last time;
    /// otherwise remembers the new ones and returns false.
    mutating func same(as cluster: ClusterState) -> Bool {
        if nodes.count == cluster.nodes.count {
            var same = true
            for i in nodes.indices where nodes[i] !== cluster.nodes[i].identity {
                same = false
                break
            }
            if same { return true }
        }
        nodes = cluster.nodes.map(\.identity)
        return false
    }
}
