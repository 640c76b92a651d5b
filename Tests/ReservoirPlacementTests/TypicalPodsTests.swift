import ReservoirCore
import Testing
@testable import ReservoirPlacement

/// `TypicalPods` is built from a per-shape tally (`ShapeTally`), so a deep queue can be counted a job
/// at a time; these pin what the shapes are, whichever way the pods were counted.
@Suite struct TypicalPodsTests {
    static func pod(cpu: Int, gpus: Int, milli: Int, memory: Int, models: Set<String>? = nil) -> PodRequest {
        PodRequest(cpuMilli: cpu, memoryMiB: memory, gpus: gpus, gpuMilli: milli, models: models)
    }

    /// 3 half-GPU pods, 2 one-GPU pods, 2 two-GPU pods (tied with the one-GPU ones), 1 CPU-only pod.
    static let pods: [PodRequest] = [
        pod(cpu: 4000, gpus: 1, milli: 500, memory: 1000), pod(cpu: 8000, gpus: 2, milli: 1000, memory: 10),
        pod(cpu: 4000, gpus: 1, milli: 500, memory: 2000), pod(cpu: 2000, gpus: 0, milli: 700, memory: 100),
        pod(cpu: 8000, gpus: 1, milli: 1000, memory: 4000), pod(cpu: 4000, gpus: 1, milli: 500, memory: 3000),
        pod(cpu: 8000, gpus: 2, milli: 1000, memory: 30), pod(cpu: 8000, gpus: 1, milli: 1000, memory: 4000),
    ]

    @Test("shapes by frequency, ties by (GPUs, milli, CPU), mean memory, cut at the coverage")
    func shapes() {
        typealias Shape = TypicalPods.Shape
        let expected: [Shape] = [
            Shape(cpuMilli: 4000, gpus: 1, gpuMilli: 500, memoryMiB: 2000, weight: 0.375),
            Shape(cpuMilli: 8000, gpus: 1, gpuMilli: 1000, memoryMiB: 4000, weight: 0.25),
            Shape(cpuMilli: 8000, gpus: 2, gpuMilli: 1000, memoryMiB: 20, weight: 0.25),
            Shape(cpuMilli: 2000, gpus: 0, gpuMilli: 0, memoryMiB: 100, weight: 0.125),
        ]
        let all = TypicalPods(pods: Self.pods)
        #expect(all.shapes == expected)
        let weights: [Double] = TypicalPods(pods: Self.pods, coverage: 0.6).shapes.map(\.weight)
        #expect(weights == [0.6, 0.4])
    }

    @Test("counting a job's replicas at once gives the same shapes as one pod per replica")
    func tallyByCount() {
        var tally = ShapeTally()
        tally.add(cpuMilli: 4000, memoryMiB: 2000, gpus: 1, gpuMilli: 500, models: nil, count: 3)
        tally.add(cpuMilli: 8000, memoryMiB: 20, gpus: 2, gpuMilli: 1000, models: nil, count: 2)
        tally.add(cpuMilli: 2000, memoryMiB: 100, gpus: 0, gpuMilli: 700, models: nil, count: 1)
        tally.add(cpuMilli: 8000, memoryMiB: 4000, gpus: 1, gpuMilli: 1000, models: nil, count: 2)
        tally.add(cpuMilli: 1, memoryMiB: 1, gpus: 1, gpuMilli: 1, models: nil, count: 0)
        #expect(tally.pods == 8)
        #expect(TypicalPods(tally: tally) == TypicalPods(pods: Self.pods))
    }
}
