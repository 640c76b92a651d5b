import ReservoirCore
import Testing
@testable import ReservoirPlacement

/// A small fixed-seed inflation run (the first 120 nodes, 800 pods taken evenly across `default`, seed 42) whose
/// exact results are pinned: any change to the arrival stream, the metric or a policy shows here.
/// The full five-trace benchmark is `reservoir bench openb`.
@Suite(OpenbData.required)
struct InflationTests {
    static let pinned: [(policy: String, at100: Double, at130: Double, failed: Int)] = [
        ("fgd", 93.92, 94.12, 297),
        ("bestfit", 93.91, 94.1, 294),
        ("reservoir", 95.77, 95.81, 289),
        ("dotprod", 91.82, 92.02, 308),
        ("gpupacking", 90.81, 91.01, 311),
        ("gpuclustering", 90.02, 90.21, 314),
        ("random", 85.0657142857143, 86.3, 289),
    ]

    @Test func arrivalStreamIsInflatedTo130Percent() throws {
        let workload = try OpenbData.workload(nodeLimit: 120, podLimit: 800)
        let (pods, order) = workload.arrivals(seed: 42)
        #expect(pods.count == 1180)
        #expect(workload.totalGPUMilli == 682_000)
        #expect(Array(order.prefix(3)) == [85, 41, 13])
        #expect(workload.typical.shapes.count == 33)
        let demand = pods.reduce(0) { $0 + $1.totalGPUMilli }
        #expect(Double(demand) <= 1.3 * Double(workload.totalGPUMilli))
        #expect(Array(pods.prefix(800)).sorted { ($0.cpuMilli, $0.memoryMiB, $0.totalGPUMilli) < ($1.cpuMilli, $1.memoryMiB, $1.totalGPUMilli) }
            == workload.pods.sorted { ($0.cpuMilli, $0.memoryMiB, $0.totalGPUMilli) < ($1.cpuMilli, $1.memoryMiB, $1.totalGPUMilli) })
    }

    @Test(arguments: pinned.indices)
    func pinnedResults(_ i: Int) throws {
        let expected = Self.pinned[i]
        let run = InflationRun(workload: try OpenbData.workload(nodeLimit: 120, podLimit: 800))
        let result = try #require(run.run(policy: expected.policy, seed: 42))
        #expect(abs(try #require(result.curve.value(at: 100)) - expected.at100) < 1e-9)
        #expect(abs(try #require(result.curve.value(at: 130)) - expected.at130) < 1e-9)
        #expect(result.failedPods == expected.failed)
    }

    @Test func curveUsesNeighboursWhenAPercentHasNoSample() {
        var curve = AllocationCurve(totalGPUMilli: 100_000)
        curve.record(arrivedMilli: 49_000, allocatedMilli: 40_000)
        curve.record(arrivedMilli: 51_000, allocatedMilli: 42_000)
        #expect(curve.value(at: 49) == 40)
        #expect(curve.value(at: 50) == 41)
        #expect(curve.value(at: 60) == nil)
    }
}
