import Foundation
import ReservoirCore
import ReservoirEngine
import Testing

@testable import ReservoirSlurm

/// Submit-to-running latency and submit throughput through the engine; the plain-sbatch baseline is
/// `scripts/slurm-bench-sbatch.sh`. Out of the normal run (it takes a minute and prints figures):
///
///     RESERVOIR_SLURM_BENCH=1 swift test --filter SlurmBench
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["RESERVOIR_SLURM_BENCH"] != nil && SlurmTestCluster.isPresent))
struct SlurmBenchTests {
    @Test(arguments: [SlurmPlacementMode.slurm, .reservoir])
    func latencyAndThroughput(mode: SlurmPlacementMode) async throws {
        let engine = try SlurmTestCluster.engine(defaultPlacement: mode)
        let clock = ContinuousClock()
        var latencies: [Double] = []
        for i in 0..<10 {
            let job = SlurmTestCluster.jobID("lat-\(mode.rawValue)")
            let start = clock.now
            try await engine.submit(SlurmTestCluster.spec(job, runtime: 3, node: NodeID("rn\(i % 4 + 1)")))
            while [.pending, .unknown].contains(try await engine.status(job).phase) { try await Task.sleep(for: .milliseconds(50)) }
            latencies.append(Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds))
            try await Task.sleep(for: .milliseconds(3500))
        }
        latencies.sort()
        let n = 100
        let start = clock.now
        for i in 0..<n {
            try await engine.submit(SlurmTestCluster.spec(SlurmTestCluster.jobID("tp-\(mode.rawValue)"), runtime: 1, node: NodeID("rn\(i % 4 + 1)")))
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "engine[%@] submit->running latency: median %.3f s, max %.3f s; throughput: %d submits in %.2f s = %.1f/s",
                     mode.rawValue, latencies[latencies.count / 2], latencies.last ?? 0, n, seconds, Double(n) / seconds))
    }
}
