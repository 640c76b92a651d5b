/// The ranges numbers from clients must lie in, checked where they enter (query parameters, JSON and
/// YAML bodies, imports) so that no value can reach a Swift trap further in: a Double too large for
/// an Int, a NaN, an overflowing sum, an inverted range. A failure is a 400 that names the field and
/// the allowed range, never a crash that ends the server for everyone.
public enum Bounds {
    /// Unix seconds a time in a request may take: 1970-01-01 … 2100-01-01.
    public static let unixSeconds: ClosedRange<Double> = 0...4_102_444_800
    /// GPUs in one quota (guaranteed or limit).
    public static let quotaGPUs: ClosedRange<Double> = 0...100_000
    /// CPU cores of one node.
    public static let nodeCores: ClosedRange<Double> = 0.001...100_000
    /// Memory of one node in GiB (1 PiB at most).
    public static let nodeMemoryGiB: ClosedRange<Double> = 0.001...1_048_576
    /// Milli-CPU and MiB of one node in an openb node list (the same limits in the trace's units).
    public static let nodeCPUMilli: ClosedRange<Int> = 1...100_000_000
    public static let nodeMemoryMiB: ClosedRange<Int> = 1...1_073_741_824
    /// Accelerators on one node.
    public static let nodeGPUs: ClosedRange<Int> = 0...64
    /// Nodes one inventory import may describe, after `count` expansion.
    public static let importNodes: ClosedRange<Int> = 0...100_000
    /// Hours of a what-if request (ten years at most).
    public static let requestHours: ClosedRange<Double> = 0.01...87_600

    /// Items in one page of a list (`limit`).
    public static let pageSize: ClosedRange<Int> = 1...1000
    /// A tenant's fair-share weight: more than 0, at most 1000.
    public static let tenantWeight: ClosedRange<Double> = 0...1_000
    /// Replicas of one job.
    public static let replicas: ClosedRange<Int> = 1...10_000
    /// A job's declared runtime: more than 0, at most a year.
    public static let runtimeSeconds: ClosedRange<Double> = 0...(365 * 86_400)
    /// GPUs, milli-CPU and memory one replica may ask for; milli-GPU on each GPU; GPU memory of a share.
    public static let replicaGPUs: ClosedRange<Int> = 0...64
    public static let gpuMilli: ClosedRange<Int> = 1...1000
    public static let replicaCPUMilli: ClosedRange<Int> = 0...10_000_000
    public static let replicaMemoryMiB: ClosedRange<Int> = 0...100_000_000
    public static let shareMemoryMiB: ClosedRange<Int> = 1...10_000_000
    /// Nodes one `count` of a cluster description expands to, and NVLink islands per node.
    public static let nodeCount: ClosedRange<Int> = 1...10_000
    public static let nvlinkIslands: ClosedRange<Int> = 1...64
    /// A pool's dynamic reserve, as a fraction of its GPUs.
    public static let reservedFraction: ClosedRange<Double> = 0...0.5
    /// A catalog model's memory (4 TiB at most), its throughput and price figures, and its efficiency.
    public static let catalogMemoryMiB: ClosedRange<Int> = 0...4_194_304
    public static let catalogFigure: ClosedRange<Double> = 0...1_000_000
    public static let efficiency: ClosedRange<Double> = 0...1
    /// GPUs a what-if request may ask for, and the factor a demand surge multiplies by.
    public static let whatIfGPUs: ClosedRange<Int> = 1...1_000_000
    public static let surgeFactor: ClosedRange<Double> = 0.001...100
    /// The capacity policy's expansion threshold (sustained utilisation) and buffer.
    public static let expansionThreshold: ClosedRange<Double> = 0.6...0.8
    public static let expansionBuffer: ClosedRange<Double> = 0.05...0.2
    /// A business event's expected relative uplift (−99 % … ×101) and absolute extra GPUs.
    public static let eventUplift: ClosedRange<Double> = -0.99...100
    public static let eventGPUs: ClosedRange<Double> = 0...1_000_000
    /// Hours ahead a series forecast may look (13 weeks).
    public static let forecastHours: ClosedRange<Int> = 1...(13 * 7 * 24)

    /// `value` if it is a finite number inside `range`; otherwise an error naming `field` and the range.
    @discardableResult
    public static func check(_ value: Double, _ field: String, in range: ClosedRange<Double>, unit: String = "") throws(ReservoirError) -> Double {
        guard value.isFinite, range.contains(value) else {
            throw .invalid(field, "must be a number in \(text(range.lowerBound))…\(text(range.upperBound))\(unit.isEmpty ? "" : " " + unit)")
        }
        return value
    }

    /// `value` if it lies inside `range`; otherwise an error naming `field` and the range.
    @discardableResult
    public static func check(_ value: Int, _ field: String, in range: ClosedRange<Int>, unit: String = "") throws(ReservoirError) -> Int {
        guard range.contains(value) else { throw .invalid(field, "must be in \(range.lowerBound)…\(range.upperBound)\(unit.isEmpty ? "" : " " + unit)") }
        return value
    }

    /// A bounded amount in thousandths (GPUs → milli-GPU, cores → milli-CPU), rounded; the check
    /// comes first, so the conversion to Int cannot trap.
    public static func milli(_ value: Double, _ field: String, in range: ClosedRange<Double>, unit: String = "") throws(ReservoirError) -> Int {
        Int((try check(value, field, in: range, unit: unit) * 1000).rounded())
    }

    /// `a + b`, or an error naming `field` when the sum does not fit an Int.
    public static func sum(_ a: Int, _ b: Int, _ field: String) throws(ReservoirError) -> Int {
        let (total, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw .invalid(field, "is too large") }
        return total
    }

    /// `100000` rather than `100000.0`; fractions as they are.
    static func text(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
