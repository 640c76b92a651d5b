/// FGD's fragmentation measure (Weng et al., ATC '23; `NodeGpuShareFragAmount` in the simulator):
/// the GPU milli of a node that the target workload could not use, in expectation over its shapes.
///
/// For a shape t with weight p_t: if t is CPU-only or may not use the node's model, all free GPU
/// milli counts; if the node has `gpus_t` GPUs with ≥ `milli_t` free and ≥ `cpu_t` free CPU, only
/// the free milli on GPUs with less than `milli_t` counts; otherwise all free GPU milli counts.
/// In `.faithful` mode memory plays no part, exactly as in the paper; `.multiResource` (used by
/// `reservoir`) also needs the shape's memory and drops CPU-only shapes, which never use a GPU.
///
/// Values are memoised by (model, CPU band, memory band, sorted free milli): the measure depends on
/// CPU and memory only through the shapes' thresholds and on the GPUs only as a multiset, and most
/// nodes of a cluster pass through the same few states.
struct GPUFragmentation: Sendable {
    enum Mode: Sendable { case faithful, multiResource }

    private struct Entry: Sendable { var cpu: Int, memory: Int, gpus: Int, milli: Int, weight: Double }
    private struct Split: Sendable {
        /// Summed weight of the shapes for which every free milli counts whatever the state.
        var always: Double
        var entries: [Entry]
        /// Distinct CPU and memory thresholds of `entries`, ascending.
        var cpuSteps: [Int]
        var memorySteps: [Int]
    }
    private struct Key: Hashable { var low: UInt64, high: UInt64 }

    private let shapes: [TypicalPods.Shape]
    private let mode: Mode
    private var splits: [Split] = []
    private var slotOfModel: [String: Int] = [:]
    private var memo: [Key: Double] = [:]

    init(_ workload: TypicalPods, mode: Mode = .faithful) {
        self.mode = mode
        guard mode == .multiResource else {
            shapes = workload.shapes
            return
        }
        let gpuShapes = workload.shapes.filter { $0.gpus > 0 }
        let total = gpuShapes.reduce(0) { $0 + $1.weight }
        shapes = gpuShapes.map { var s = $0; s.weight /= total; return s }
    }

    /// A small integer standing for `model`, to pass to `amount` instead of the string.
    mutating func slot(for model: String) -> Int {
        if let s = slotOfModel[model] { return s }
        var always = 0.0
        var entries: [Entry] = []
        for s in shapes {
            if s.gpus == 0 || !s.allows(model) {
                always += s.weight
            } else {
                let memory = mode == .multiResource ? s.memoryMiB : 0
                entries.append(Entry(cpu: s.cpuMilli, memory: memory, gpus: s.gpus, milli: s.gpuMilli, weight: s.weight))
            }
        }
        splits.append(Split(
            always: always, entries: entries,
            cpuSteps: Array(Set(entries.map(\.cpu))).sorted(), memorySteps: Array(Set(entries.map(\.memory))).sorted()
        ))
        slotOfModel[model] = splits.count - 1
        return splits.count - 1
    }

    /// Fragmentation of a node in model slot `slot` with the given free CPU, memory and free milli
    /// per GPU. `gpuFree` is scratch space: it may come back reordered.
    mutating func amount(slot: Int, cpu: Int, memory: Int, gpuFree: UnsafeMutableBufferPointer<Int>) -> Double {
        var total = 0
        for f in gpuFree { total += f }
        if total == 0 { return 0 }
        let split = splits[slot]
        guard gpuFree.count <= 8 else { return Self.compute(split, cpu: cpu, memory: memory, gpuFree: gpuFree, total: total) }
        var cpuBand: UInt64 = 0
        for step in split.cpuSteps where step <= cpu { cpuBand += 1 }
        var memoryBand: UInt64 = 0
        for step in split.memorySteps where step <= memory { memoryBand += 1 }
        var sorted = gpuFree
        sorted.sort()
        var low: UInt64 = 0
        var high = UInt64(slot) << 20 | cpuBand << 36 | memoryBand << 48 | UInt64(gpuFree.count) << 60
        for (i, f) in sorted.enumerated() {
            if i < 6 { low |= UInt64(f) << UInt64(10 * i) } else { high |= UInt64(f) << UInt64(10 * (i - 6)) }
        }
        let key = Key(low: low, high: high)
        if let v = memo[key] { return v }
        let v = Self.compute(split, cpu: cpu, memory: memory, gpuFree: gpuFree, total: total)
        memo[key] = v
        return v
    }

    private static func compute(_ split: Split, cpu: Int, memory: Int, gpuFree: UnsafeMutableBufferPointer<Int>, total: Int) -> Double {
        var frag = split.always * Double(total)
        for e in split.entries {
            var fitting = 0
            var small = 0
            for f in gpuFree {
                if f >= e.milli { fitting += 1 } else { small += f }
            }
            frag += e.weight * Double(fitting >= e.gpus && cpu >= e.cpu && memory >= e.memory ? small : total)
        }
        return frag
    }
}
