/// A reusable buffer of per-GPU free milli, so trying "the node after the pod" copies eight
/// integers instead of allocating an array for every node of every pod.
struct NodeScratch: Sendable {
    private var buffer: [Int] = []

    /// Loads `gpuFree`, lets `change` edit it, and hands the result to `body`.
    mutating func with<R>(_ gpuFree: [Int], _ body: (UnsafeMutableBufferPointer<Int>) -> R) -> R {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: gpuFree)
        return buffer.withUnsafeMutableBufferPointer { body($0) }
    }

    /// `gpuFree` after taking `milli` from GPU `gpu`, or (gpu < 0) `gpus` fully free GPUs.
    mutating func after(_ gpuFree: [Int], gpu: Int, milli: Int, gpus: Int, _ body: (UnsafeMutableBufferPointer<Int>) -> Double) -> Double {
        with(gpuFree) { b in
            if gpu >= 0 {
                b[gpu] -= milli
            } else {
                var need = gpus
                for g in b.indices where need > 0 && b[g] == 1000 {
                    b[g] = 0
                    need -= 1
                }
            }
            return body(b)
        }
    }
}
