import Foundation
import ReservoirPlacement

/// The benchmark's answer: per policy, allocation at 100 % and 130 % arrived (mean, min, max over
/// seeds), the mean curve, failed pods and decision latency; as a table or as JSON.
struct OpenbReport: Encodable {
    struct Stat: Encodable {
        var mean: Double
        var min: Double
        var max: Double

        init(_ values: [Double]) {
            mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            min = values.min() ?? 0
            max = values.max() ?? 0
        }
    }

    struct Policy: Encodable {
        var policy: String
        var seeds: [UInt64]
        var allocAt100: Stat
        var allocAt130: Stat
        /// Arrived percent (50, 55, … 130) to mean allocation percent.
        var curve: [String: Double]
        /// Mean failed pods per run.
        var failedPods: Double
        var decisionsPerSecond: Double
        var p50Us: Double
        var p99Us: Double

        enum CodingKeys: String, CodingKey {
            case policy, seeds, curve
            case allocAt100 = "alloc_at_100", allocAt130 = "alloc_at_130", failedPods = "failed_pods"
            case decisionsPerSecond = "decisions_per_second", p50Us = "p50_us", p99Us = "p99_us"
        }

        init(policy: String, runs: [InflationRun.Result]) {
            self.policy = policy
            seeds = runs.map(\.seed)
            allocAt100 = Stat(runs.compactMap { $0.curve.value(at: 100) })
            allocAt130 = Stat(runs.compactMap { $0.curve.value(at: 130) })
            var curve: [String: Double] = [:]
            for x in stride(from: 50, through: 130, by: 5) {
                let values = runs.compactMap { $0.curve.value(at: x) }
                if !values.isEmpty { curve[String(x)] = Stat(values).mean }
            }
            self.curve = curve
            failedPods = runs.isEmpty ? 0 : Double(runs.reduce(0) { $0 + $1.failedPods }) / Double(runs.count)
            var latencies = runs.flatMap(\.latencies)
            latencies.sort()
            let totalNs = latencies.reduce(0.0) { $0 + Double($1) }
            decisionsPerSecond = totalNs > 0 ? Double(latencies.count) / (totalNs / 1e9) : 0
            func percentile(_ q: Double) -> Double {
                latencies.isEmpty ? 0 : Double(latencies[min(latencies.count - 1, Int(q * Double(latencies.count)))]) / 1000
            }
            p50Us = percentile(0.50)
            p99Us = percentile(0.99)
        }
    }

    var policies: [Policy]

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func table(pods: Int, nodes: Int) -> String {
        var lines = ["openb inflation: \(pods) pods on \(nodes) GPU nodes, \(policies.first?.seeds.count ?? 0) seeds",
                     "policy            alloc@100 (min–max)        alloc@130   failed   decisions/s   p50 µs   p99 µs"]
        for p in policies {
            lines.append(
                p.policy.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: "  %6.2f (%6.2f–%6.2f)   %6.2f   %7.1f   %11.0f   %6.1f   %6.1f",
                             p.allocAt100.mean, p.allocAt100.min, p.allocAt100.max, p.allocAt130.mean, p.failedPods,
                             p.decisionsPerSecond, p.p50Us, p.p99Us))
        }
        let header = "curve           " + stride(from: 50, through: 130, by: 10).map { String(format: "%6d", $0) }.joined()
        lines.append(header)
        for p in policies {
            lines.append(p.policy.padding(toLength: 16, withPad: " ", startingAt: 0)
                + stride(from: 50, through: 130, by: 10).map { String(format: "%6.2f", p.curve[String($0)] ?? .nan) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
