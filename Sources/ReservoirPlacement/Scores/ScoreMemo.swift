/// Remembers each node's score for each pod shape together with the exact node state it was
/// computed for. Placing a pod changes one node, and pods of the same shape keep coming, so almost
/// every node's score for the next pod of a shape is a lookup. Used by the deterministic,
/// state-only scores (FGD, reservoir); the state check makes it safe on rebuilt cluster states.
struct ScoreMemo: Sendable {
    private struct Shape: Hashable, Sendable {
        var cpu: Int, memory: Int, gpus: Int, milli: Int, models: Set<String>?
    }
    private struct Entry: Sendable {
        var cpu = Int.min, memory = 0, low: UInt64 = 0, high: UInt64 = 0, score = 0.0
    }

    /// Shapes remembered at most; past it the memo starts over, bounding memory to about
    /// `limit × nodes × 40` bytes.
    private let limit = 256
    private var shapes: [Shape: Int] = [:]
    private var table: [[Entry]] = []
    private var current = -1

    /// Forgets everything (the node list changed).
    mutating func reset() {
        shapes.removeAll()
        table.removeAll()
        current = -1
    }

    /// Selects the pod's shape for the lookups that follow.
    mutating func begin(_ pod: PodRequest, nodeCount: Int) {
        let shape = Shape(cpu: pod.cpuMilli, memory: pod.memoryMiB, gpus: pod.gpus, milli: pod.gpuMilli, models: pod.models)
        if let i = shapes[shape] {
            current = i
            return
        }
        if shapes.count >= limit { reset() }
        shapes[shape] = table.count
        current = table.count
        table.append(Array(repeating: Entry(), count: nodeCount))
    }

    /// The remembered score of node `i` in its present state, if any.
    func lookup(_ i: Int, _ node: NodeCapacity) -> Double? {
        guard current >= 0, let key = Self.pack(node) else { return nil }
        let e = table[current][i]
        guard e.cpu == node.freeCPU, e.memory == node.freeMemory, e.low == key.low, e.high == key.high else { return nil }
        return e.score
    }

    mutating func store(_ score: Double, _ i: Int, _ node: NodeCapacity) {
        guard current >= 0, let key = Self.pack(node) else { return }
        table[current][i] = Entry(cpu: node.freeCPU, memory: node.freeMemory, low: key.low, high: key.high, score: score)
    }

    /// Free milli per GPU, 10 bits each, in device order; nil past 12 GPUs (then nothing is memoised).
    private static func pack(_ node: NodeCapacity) -> (low: UInt64, high: UInt64)? {
        guard node.gpuFree.count <= 12 else { return nil }
        var low: UInt64 = 0
        var high = UInt64(node.gpuFree.count) << 60
        for (g, f) in node.gpuFree.enumerated() {
            if g < 6 { low |= UInt64(f) << UInt64(10 * g) } else { high |= UInt64(f) << UInt64(10 * (g - 6)) }
        }
        return (low, high)
    }
}
