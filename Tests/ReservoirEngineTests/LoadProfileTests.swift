import ReservoirCore
import ReservoirEngine
import Testing

@Suite("Load profiles of simulated workloads")
struct LoadProfileTests {
    /// Readings every minute of job time for `hours`.
    func minutes(_ profile: LoadProfile, hours: Double, at start: Double = 1_700_000_000, load: OfferedLoad? = nil) -> [(elapsed: Double, load: ShareLoad)] {
        stride(from: 0.0, to: hours * 3_600, by: 60).map { ($0, profile.reading(elapsed: $0, at: start + $0, load: load)) }
    }

    @Test("training runs at 85–98 % between checkpoints, drops to 0–10 % for a few minutes every 30–60 minutes, memory high and steady")
    func trainingHasCheckpointDips() {
        let profiles = (0..<200).map { LoadProfile(kind: .training, seed: UInt64($0)) }.filter { !$0.isLoaderBound }
        #expect(profiles.count > 100)
        for profile in profiles {
            #expect((1_800...3_600).contains(profile.checkpointPeriod))
            #expect((120...300).contains(profile.checkpointDuration))
            let readings = minutes(profile, hours: 4)
            let dips = readings.filter { profile.isCheckpointing(elapsed: $0.elapsed) }
            #expect(dips.count >= 6, "four hours hold at least three checkpoints of two minutes or more")
            #expect(dips.allSatisfy { (0...10).contains($0.load.utilPercent) })
            #expect(readings.filter { !profile.isCheckpointing(elapsed: $0.elapsed) }.allSatisfy { (85...98).contains($0.load.utilPercent) })
            #expect(Set(readings.map(\.load.memoryFraction)).count == 1, "memory does not move, checkpoints included")
            #expect((0.80...0.92).contains(readings[0].load.memoryFraction))
            #expect(readings.prefix(while: { $0.elapsed < profile.checkpointPeriod }).allSatisfy { $0.load.utilPercent >= 85 },
                    "no checkpoint before the first period has passed")
        }
    }

    @Test("about one training job in five is data-loader-bound and runs at 40–60 %; the subset depends only on the seed")
    func someTrainingIsLoaderBound() {
        let profiles = (0..<1_000).map { LoadProfile(kind: .training, seed: StableHash.fnv1a("job-\($0)")) }
        let bound = profiles.filter(\.isLoaderBound)
        #expect((150...250).contains(bound.count))
        for profile in bound.prefix(20) {
            let busy = minutes(profile, hours: 2).filter { !profile.isCheckpointing(elapsed: $0.elapsed) }
            #expect(busy.allSatisfy { (40...60).contains($0.load.utilPercent) })
        }
        #expect(!LoadProfile(kind: .inference, seed: bound[0].seed).isLoaderBound, "only training waits on a data loader")
    }

    @Test("inference utilization is offered QPS over capacity, clipped; memory is weights plus a KV cache growing with load")
    func inferenceFollowsOfferedLoad() {
        let profile = LoadProfile(kind: .inference, job: "ranker-1")
        func reading(_ qps: Double) -> ShareLoad { profile.reading(elapsed: 600, at: 1_700_000_000, load: OfferedLoad(qps: qps, capacityQPS: 200)) }
        #expect(reading(50).utilPercent == 25)
        #expect(reading(150).utilPercent == 75)
        #expect(reading(400).utilPercent == 100, "clipped at full utilization")
        #expect(reading(0).utilPercent == 0)
        let memory = [0.0, 50, 100, 200, 400].map { reading($0).memoryFraction }
        #expect(memory == memory.sorted() && memory.first! < memory.last!)
        #expect((0.30...0.50).contains(memory[0]), "an idle replica still holds its weights")
        #expect(memory.last! <= 0.92)
        #expect(profile.reading(elapsed: 0, at: 0, load: OfferedLoad(qps: 5, capacityQPS: 0)).utilPercent == 100, "no capacity: any traffic saturates")
    }

    @Test("inference without a service follows a working day in UTC+8: busy mid-afternoon, quiet before dawn")
    func inferenceDefaultIsDiurnal() {
        let profile = LoadProfile(kind: .inference, seed: 7)
        let midnightUTC8 = 1_700_006_400.0 - 8 * 3_600  // 2023-11-15 00:00 in UTC+8
        let afternoon = profile.reading(elapsed: 0, at: midnightUTC8 + 15 * 3_600).utilPercent
        let dawn = profile.reading(elapsed: 0, at: midnightUTC8 + 3 * 3_600).utilPercent
        #expect(afternoon > 65 && dawn < 25)
    }

    @Test("test allocations are mostly idle (0–5 %) with rare bursts; memory a small constant")
    func testIsMostlyIdle() {
        var bursts = 0
        for seed in 0..<50 {
            let profile = LoadProfile(kind: .test, seed: UInt64(seed))
            let day = minutes(profile, hours: 24)
            let idle = day.filter { $0.load.utilPercent <= 5 }.count
            #expect(Double(idle) / Double(day.count) > 0.8)
            #expect(day.allSatisfy { $0.load.utilPercent <= 80 })
            #expect(Set(day.map(\.load.memoryFraction)).count == 1 && day[0].load.memoryFraction <= 0.12)
            bursts += day.filter { $0.load.utilPercent >= 30 }.count
        }
        #expect(bursts > 0, "someone runs a cell now and then")
    }

    @Test("batch runs steady at medium-high utilization")
    func batchIsSteady() {
        for seed in 0..<50 {
            let readings = minutes(LoadProfile(kind: .batch, seed: UInt64(seed)), hours: 3)
            #expect(readings.allSatisfy { (65...83).contains($0.load.utilPercent) && (0.5...0.7).contains($0.load.memoryFraction) })
        }
    }

    @Test("the same seed, job time and clock give the same reading; seeds differ")
    func deterministicPerSeed() {
        for kind in WorkloadKind.allCases {
            let a = LoadProfile(kind: kind, job: "job-42"), b = LoadProfile(kind: kind, job: "job-42")
            #expect(minutes(a, hours: 2).map(\.load) == minutes(b, hours: 2).map(\.load))
        }
        let first = minutes(LoadProfile(kind: .training, job: "job-1"), hours: 2).map(\.load)
        let second = minutes(LoadProfile(kind: .training, job: "job-2"), hours: 2).map(\.load)
        #expect(first != second)
        #expect(StableHash.fnv1a("a") == 0xAF63_DC4C_8601_EC8C, "the published FNV-1a test vector: seeds are the same in every process")
    }

    @Test("device samples: idle devices read 0 % and 0 MiB, shares on one device add up, CPU sockets and failed GPUs do not report")
    func devicesCombineShares() {
        let gpus = (0..<3).map { Device(node: "n1", index: $0, model: "A100-80GB", memoryMiB: 80_000) }
        var failed = Device(node: "n1", index: 3, model: "A100-80GB", memoryMiB: 80_000)
        failed.state = .failed
        let cpu = Device(node: "n1", index: 4, kind: .cpu, model: "cpu", memoryMiB: 0)
        let half = OfferedLoad(qps: 50, capacityQPS: 100)
        let holdings: [DeviceID: [DeviceHolding]] = [
            gpus[0].id: [
                DeviceHolding(profile: LoadProfile(kind: .inference, seed: 1), share: 0.5, elapsed: 60, load: OfferedLoad(qps: 100, capacityQPS: 100)),
                DeviceHolding(profile: LoadProfile(kind: .inference, seed: 2), share: 0.5, memoryMiB: 10_000, elapsed: 60, load: half),
            ],
            gpus[1].id: Array(repeating: DeviceHolding(profile: LoadProfile(kind: .inference, seed: 3), share: 0.6, elapsed: 0, load: OfferedLoad(qps: 1, capacityQPS: 1)), count: 2),
        ]
        let samples = SimulatedTelemetry.samples(devices: gpus + [failed, cpu], holdings: holdings, at: 1_000)
        #expect(samples.map(\.device) == gpus.map(\.id))
        #expect(samples[0].gpuUtilPercent == 75, "100 % of one half and 50 % of the other")
        let one = LoadProfile(kind: .inference, seed: 1).reading(elapsed: 60, at: 1_000, load: OfferedLoad(qps: 100, capacityQPS: 100))
        let two = LoadProfile(kind: .inference, seed: 2).reading(elapsed: 60, at: 1_000, load: half)
        #expect(samples[0].memoryUsedMiB == Int((40_000 * one.memoryFraction + 10_000 * two.memoryFraction).rounded()),
                "a share's memory is its promised memory, or its part of the device")
        #expect(samples[1].gpuUtilPercent == 100, "over-committed shares are capped")
        #expect(samples[2].gpuUtilPercent == 0 && samples[2].memoryUsedMiB == 0)
        #expect(samples[2].powerWatts == 60 && samples[2].temperatureCelsius == 32, "an idle A100 draws 15 % of its 400 W limit")
        #expect(samples[1].powerWatts == 380 && samples[1].temperatureCelsius == 77, "a busy one 95 %")
        #expect(SimulatedTelemetry.power(model: "T4", util: 50) == 39 && SimulatedTelemetry.power(model: "A10", util: 0) < SimulatedTelemetry.power(model: "A100-80GB", util: 0))
        #expect(samples.allSatisfy { $0.at == 1_000 && $0.xidErrors == nil })
        #expect(SimulatedTelemetry.samples(devices: gpus, holdings: [:], at: 0, xid: true).allSatisfy { $0.xidErrors == 0 })
    }
}
