/// One row of a load test of one GPU: at this many concurrent requests, these latencies and this throughput.
public struct LoadTestRow: Codable, Hashable, Sendable {
    public var concurrency: Int
    public var p50Ms: Double
    public var p99Ms: Double
    public var qps: Double

    public init(concurrency: Int, p50Ms: Double, p99Ms: Double, qps: Double) {
        self.concurrency = concurrency
        self.p50Ms = p50Ms
        self.p99Ms = p99Ms
        self.qps = qps
    }

    /// Reads a CSV table with a header naming `concurrency`, `p50_ms`, `p99_ms` and `qps` (per GPU),
    /// in any order; blank lines and lines starting with `#` are skipped. A bad cell names its line and column.
    public static func csv(_ text: String) throws(ReservoirError) -> [LoadTestRow] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (number: $0.offset + 1, cells: $0.element.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }) }
            .filter { !($0.cells.first ?? "").hasPrefix("#") && $0.cells.contains { !$0.isEmpty } }
        guard let header = lines.first else { throw .invalid("loadTest", "is empty: a header and at least one row are needed") }
        func column(_ name: String) throws(ReservoirError) -> Int {
            guard let i = header.cells.firstIndex(where: { $0.lowercased() == name }) else {
                throw .invalid("loadTest", "line \(header.number): no '\(name)' column (need concurrency, p50_ms, p99_ms, qps)")
            }
            return i
        }
        let c = try column("concurrency"), p50 = try column("p50_ms"), p99 = try column("p99_ms"), q = try column("qps")
        var rows: [LoadTestRow] = []
        for line in lines.dropFirst() {
            func number(_ i: Int, _ name: String) throws(ReservoirError) -> Double {
                guard i < line.cells.count, let v = Double(line.cells[i]), v.isFinite else {
                    throw .invalid("loadTest", "line \(line.number): '\(name)' is not a number")
                }
                return v
            }
            let concurrency = try number(c, "concurrency")
            guard concurrency == concurrency.rounded() else { throw .invalid("loadTest", "line \(line.number): 'concurrency' is not a whole number") }
            rows.append(LoadTestRow(concurrency: Int(concurrency), p50Ms: try number(p50, "p50_ms"), p99Ms: try number(p99, "p99_ms"), qps: try number(q, "qps")))
        }
        return rows
    }
}

extension Substring {
    var trimmingSpaces: String { String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed()) }
}

/// The answer for an inference service: what one GPU sustains within the SLA and how many GPUs the peak needs.
public struct InferenceEstimate: Codable, Hashable, Sendable {
    /// The load-test row with the highest QPS whose p99 is within the target.
    public var operatingPoint: LoadTestRow
    public var perGPUQPS: Double
    public var p99TargetMs: Double
    public var peakQPS: Double
    public var servingGPUs: Int
    public var haReplicas: Int
    public var gpus: Int
    public var assumptions: [String]

    /// GPUs = ceil(peak QPS ÷ per-GPU QPS) + HA replicas; unsatisfiable when no row meets the p99 target.
    public static func estimate(loadTest: [LoadTestRow], p99TargetMs: Double, peakQPS: Double, haReplicas: Int) throws(ReservoirError) -> InferenceEstimate {
        guard let best = loadTest.filter({ $0.p99Ms <= p99TargetMs && $0.qps > 0 }).max(by: { $0.qps < $1.qps }) else {
            let fastest = loadTest.map(\.p99Ms).min().map { " (the lowest p99 measured is \($0) ms)" } ?? ""
            throw ReservoirError(.unsatisfiable, field: "p99Ms", "no load-test row meets a p99 of \(p99TargetMs) ms\(fastest)")
        }
        let serving = Int((peakQPS / best.qps).rounded(.up))
        return InferenceEstimate(
            operatingPoint: best, perGPUQPS: best.qps, p99TargetMs: p99TargetMs, peakQPS: peakQPS, servingGPUs: serving,
            haReplicas: haReplicas, gpus: serving + haReplicas,
            assumptions: [
                "one GPU sustains \(best.qps) QPS at concurrency \(best.concurrency) (p99 \(best.p99Ms) ms <= \(p99TargetMs) ms), the best of \(loadTest.count) load-test rows",
                "GPUs = ceil(\(peakQPS) / \(best.qps)) + \(haReplicas) HA replicas",
                "throughput scales linearly with GPUs (independent replicas behind a load balancer)",
            ])
    }
}
