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
