/// The paper's metric (`merge_alloc_discrete.py`): after every pod, the arrived GPU demand and the
/// allocated GPU milli, both as a percentage of capacity; the value at X % arrived is the mean
/// allocation over the samples whose arrival rounds to X (or within X ± 1 when none does).
public struct AllocationCurve: Sendable {
    private var sums: [Int: (total: Double, count: Int)] = [:]
    private let capacityGPUs: Double

    public init(totalGPUMilli: Int) { capacityGPUs = Double(totalGPUMilli) / 1000 }

    /// Records one sample from cumulative arrived and allocated milli-GPU.
    public mutating func record(arrivedMilli: Int, allocatedMilli: Int) {
        // Python: round(A / total_gpus / 10) and round(U / total_gpus / 10, 2).
        let arrived = Int((Double(arrivedMilli) / capacityGPUs / 10).rounded(.toNearestOrEven))
        let allocated = (Double(allocatedMilli) / capacityGPUs / 10 * 100).rounded(.toNearestOrEven) / 100
        let s = sums[arrived] ?? (0, 0)
        sums[arrived] = (s.total + allocated, s.count + 1)
    }

    /// Allocation (%) at `percent` arrived, or nil when no sample lies within ±1.
    public func value(at percent: Int) -> Double? {
        if let s = sums[percent], s.count > 0 { return s.total / Double(s.count) }
        var total = 0.0
        var count = 0
        for p in (percent - 1)...(percent + 1) {
            if let s = sums[p] { (total, count) = (total + s.total, count + s.count) }
        }
        return count == 0 ? nil : total / Double(count)
    }
}
