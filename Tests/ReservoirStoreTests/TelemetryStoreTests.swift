import Foundation
import ReservoirCore
import ReservoirStore
import Testing

@Suite("Telemetry store")
struct TelemetryStoreTests {
    /// Midnight UTC of some day, so hours and days line up with the samples below.
    static let day0 = 20_000 * 86_400.0
    static let devices: [DeviceID] = ["n0/gpu0", "n0/gpu1", "n1/gpu0", "n1/gpu1"]

    func store() throws -> (SQLiteStore, [DeviceID: TelemetryDevice]) {
        let store = try seededStore()
        return (store, try store.telemetryDevices(Set(Self.devices)))
    }

    func sample(_ device: DeviceID, minute: Int, util: Double, memory: Int) -> DeviceSample {
        DeviceSample(device: device, at: Self.day0 + Double(minute) * 60 + 7, gpuUtilPercent: util, memoryUsedMiB: memory)
    }

    @Test("devices are looked up where the inventory holds them; unknown ids are absent")
    func devicesResolve() throws {
        let (store, known) = try store()
        #expect(known.count == 4)
        #expect(known["n1/gpu0"] == TelemetryDevice(id: "n1/gpu0", node: "n1", pool: "p", model: "T4", memoryMiB: 15360))
        #expect(try store.telemetryDevices(["n9/gpu0", "n0/gpu7", "nonsense"]).isEmpty)
    }

    @Test("hour, day and pool-minute roll-ups equal the means and peaks of their minutes, computed by brute force")
    func rollUpsMatchBruteForce() throws {
        let (store, devices) = try store()
        var rng = SplitMix64(seed: 13)
        var all: [DeviceSample] = []
        for minute in 0..<(3 * 60 + 17) {
            let batch = Self.devices.map { device in
                sample(device, minute: minute, util: (rng.nextUnit() * 10_000).rounded() / 100, memory: Int(rng.nextUnit() * 15_360))
            }
            #expect(try store.recordSamples(batch, devices: devices) == 4)
            all += batch
        }
        // By the minute the reservoir, a pool and a model read the pool minutes; a node reads per-device rows.
        for resolution in [TelemetryResolution.minute, .hour, .day] {
            for scope in [UtilizationScope.pool("p"), .reservoir, .model("T4"), .node("n0"), .node("n1")] {
            let query = UtilizationQuery(scope: scope, since: Self.day0, until: Self.day0 + 86_400, resolution: resolution)
            let points = try store.utilization(query)
            let scoped = all.filter { sample in
                guard case .node(let node) = scope else { return true }
                return sample.device.rawValue.hasPrefix(node.rawValue + "/")
            }
            let buckets = Dictionary(grouping: scoped) { ($0.at / resolution.seconds).rounded(.down) * resolution.seconds }
            #expect(points.map(\.at) == buckets.keys.sorted())
            for point in points {
                let samples = try #require(buckets[point.at])
                let n = Double(samples.count)
                #expect(point.samples == samples.count)
                #expect(point.devices == Set(samples.map(\.device)).count)
                #expect(abs(point.gpuUtilMean - samples.map(\.gpuUtilPercent).reduce(0, +) / n) < 1e-9)
                #expect(point.gpuUtilMax == samples.map(\.gpuUtilPercent).max())
                #expect(abs(point.memoryUsedMiBMean - Double(samples.map(\.memoryUsedMiB).reduce(0, +)) / n) < 1e-9)
                #expect(abs(point.memoryFractionMean - samples.map { Double($0.memoryUsedMiB) / 15_360 }.reduce(0, +) / n) < 1e-9)
                #expect(abs(point.memoryFractionMax - Double(samples.map(\.memoryUsedMiB).max()!) / 15_360) < 1e-12)
            }
            }
        }
        let device = try store.utilization(UtilizationQuery(scope: .device("n1/gpu1"), since: Self.day0, until: Self.day0 + 3_600, resolution: .hour))
        let mine = all.filter { $0.device == "n1/gpu1" && $0.at < Self.day0 + 3_600 }
        #expect(device.count == 1 && device[0].samples == 60 && device[0].devices == 1)
        #expect(abs(device[0].gpuUtilMean - mine.map(\.gpuUtilPercent).reduce(0, +) / 60) < 1e-9)
    }

    @Test("an hourly sample adds to the hour and day roll-ups what 60 equal minute samples add, and stores no minute")
    func hourlySamplesRollUpAsTheirMinutes() throws {
        let (minutely, devices) = try store()
        let (hourly, _) = try store()
        var rng = SplitMix64(seed: 7)
        for hour in 0..<3 {
            var reading = sample("n0/gpu1", minute: hour * 60 + 5, util: (rng.nextUnit() * 10_000).rounded() / 100, memory: Int(rng.nextUnit() * 15_360))
            (reading.powerWatts, reading.temperatureCelsius) = (120.5, 41)
            #expect(try hourly.recordHourlySamples([reading], devices: devices) == 1)
            let minutes = (0..<60).map { minute in
                var copy = reading
                copy.at = Self.day0 + Double(hour * 60 + minute) * 60
                return copy
            }
            #expect(try minutely.recordSamples(minutes, devices: devices) == 60)
        }
        for resolution in [TelemetryResolution.hour, .day] {
            let query = UtilizationQuery(scope: .reservoir, since: Self.day0, until: Self.day0 + 86_400, resolution: resolution)
            #expect(try hourly.utilization(query) == minutely.utilization(query))
            #expect(try hourly.utilization(query).map(\.samples).reduce(0, +) == 180)
        }
        #expect(try hourly.utilization(UtilizationQuery(scope: .reservoir, since: Self.day0, until: Self.day0 + 86_400, resolution: .minute)).isEmpty)
    }

    @Test("a device and minute is stored once: repeats are skipped and never counted twice in the roll-ups")
    func duplicatesAreSkipped() throws {
        let (store, devices) = try store()
        #expect(try store.recordSamples([sample("n0/gpu0", minute: 5, util: 40, memory: 100)], devices: devices) == 1)
        #expect(try store.recordSamples([sample("n0/gpu0", minute: 5, util: 90, memory: 900), sample("n0/gpu0", minute: 6, util: 60, memory: 100)], devices: devices) == 1)
        let hour = try store.utilization(UtilizationQuery(scope: .reservoir, since: Self.day0, until: Self.day0 + 3_600, resolution: .hour))
        #expect(hour.count == 1 && hour[0].samples == 2 && hour[0].gpuUtilMean == 50 && hour[0].gpuUtilMax == 60)
    }

    @Test("each sample is attributed to the job, tenant, pool, node and model at ingest, and keeps it after the job ends")
    func attributionAtIngest() throws {
        let (store, devices) = try store()
        let job = try store.insertJob(Job(id: "x", name: "j", tenant: "a", submittedBy: "u", pool: "p", request: ResourceRequest(gpus: 2)), by: operatorWho)
        _ = try store.applyCycle(decisions: [(job.id, [placement("n0", [0, 1])], "test")], waiting: [:], by: operatorWho)
        _ = try store.recordSamples(Self.devices.map { sample($0, minute: 0, util: 80, memory: 1000) }, devices: devices)
        try store.transitionJob(job.id, to: .running, by: operatorWho, message: "started") { _ in }
        try store.transitionJob(job.id, to: .succeeded, by: operatorWho, message: "done") { _ in }
        _ = try store.recordSamples(Self.devices.map { sample($0, minute: 1, util: 10, memory: 0) }, devices: devices)

        func points(_ scope: UtilizationScope) throws -> [UtilizationPoint] {
            try store.utilization(UtilizationQuery(scope: scope, since: Self.day0, until: Self.day0 + 120, resolution: .minute))
        }
        let byJob = try points(.job(job.id))
        #expect(byJob.map(\.at) == [Self.day0] && byJob[0].devices == 2 && byJob[0].gpuUtilMean == 80)
        #expect(try points(.tenant("a")).map(\.devices) == [2])
        #expect(try points(.tenant("zz")).isEmpty)
        #expect(try points(.node("n1")).map(\.devices) == [2, 2])
        #expect(try points(.pool("p")).map(\.samples) == [4, 4])
        #expect(try points(.model("T4")).map(\.gpuUtilMax) == [80, 10])
        #expect(try points(.reservoir).map(\.gpuUtilMean) == [80, 10])
        #expect(try store.utilization(UtilizationQuery(scope: .job(job.id), since: Self.day0, until: Self.day0 + 86_400, resolution: .day)).map(\.samples) == [2])
        #expect(try store.utilization(UtilizationQuery(scope: .reservoir, since: Self.day0, until: Self.day0 + 120, resolution: .minute), tenant: "a").map(\.samples) == [2])
    }

    @Test("a service replica's samples are found by its service, and by tenant only for the service's tenant")
    func serviceFromTheJob() throws {
        let (store, devices) = try store()
        try store.createTenant(Tenant(id: "b"), by: operatorWho)
        var replica = Job(id: "x", name: "chat-0", tenant: "a", submittedBy: "u", pool: "p", kind: .inference, request: ResourceRequest(gpus: 1))
        replica.service = "chat"
        replica = try store.insertJob(replica, by: operatorWho)
        let other = try store.insertJob(Job(id: "x", name: "b", tenant: "b", submittedBy: "v", pool: "p", request: ResourceRequest(gpus: 1)), by: operatorWho)
        _ = try store.applyCycle(decisions: [(replica.id, [placement("n0", [0])], "test"), (other.id, [placement("n1", [0])], "test")], waiting: [:], by: operatorWho)
        _ = try store.recordSamples([sample("n0/gpu0", minute: 0, util: 70, memory: 10), sample("n1/gpu0", minute: 0, util: 20, memory: 10)], devices: devices)
        let query = UtilizationQuery(scope: .service("chat"), since: Self.day0, until: Self.day0 + 60, resolution: .minute)
        #expect(try store.utilization(query).map(\.gpuUtilMean) == [70])
        #expect(try store.utilization(query, tenant: "a").map(\.devices) == [1])
        #expect(try store.utilization(query, tenant: "b").isEmpty)
    }

    @Test("power, temperature and error counts roll up over the samples that reported them")
    func optionalReadings() throws {
        let (store, devices) = try store()
        func reading(_ minute: Int, power: Double?, celsius: Double?, xid: Int?) -> DeviceSample {
            var s = sample("n0/gpu0", minute: minute, util: 10, memory: 0)
            (s.powerWatts, s.temperatureCelsius, s.xidErrors) = (power, celsius, xid)
            return s
        }
        _ = try store.recordSamples([reading(0, power: 100, celsius: -5, xid: 2), reading(1, power: nil, celsius: -3, xid: nil), reading(2, power: 250.5, celsius: nil, xid: 1)], devices: devices)
        _ = try store.recordSamples([reading(3, power: nil, celsius: nil, xid: nil)], devices: devices)
        for resolution in [TelemetryResolution.minute, .hour, .day] {
            for scope in [UtilizationScope.device("n0/gpu0"), .reservoir] {
            let points = try store.utilization(UtilizationQuery(scope: scope, since: Self.day0, until: Self.day0 + 240, resolution: resolution))
            let power = points.compactMap(\.powerWattsMean), xid = points.compactMap(\.xidErrors)
            if resolution == .minute {
                #expect(points.map(\.powerWattsMax) == [100, nil, 250.5, nil] && points.map(\.temperatureCelsiusMax) == [-5, -3, nil, nil])
                #expect(xid == [2, 1] && points.map(\.eccErrors) == [nil, nil, nil, nil])
            } else {
                #expect(points.count == 1 && power == [175.25] && points[0].powerWattsMax == 250.5)
                #expect(points[0].temperatureCelsiusMean == -4 && points[0].temperatureCelsiusMax == -3)
                #expect(xid == [3] && points[0].eccErrors == nil)
            }
            }
        }
    }

    @Test("retention prunes each resolution before its own cutoff")
    func retentionPrunes() throws {
        let (store, devices) = try store()
        for day in 0..<3 {
            _ = try store.recordSamples(Self.devices.map { sample($0, minute: day * 1440 + 30, util: 50, memory: 10) }, devices: devices)
        }
        func count(_ resolution: TelemetryResolution) throws -> Int {
            try store.utilization(UtilizationQuery(scope: .reservoir, since: Self.day0, until: Self.day0 + 3 * 86_400, resolution: resolution)).count
        }
        #expect(try count(.minute) == 3 && count(.hour) == 3 && count(.day) == 3)
        let pruned = try store.pruneTelemetry(before: TelemetryCutoffs(minute: Self.day0 + 2 * 86_400, hour: Self.day0 + 86_400, day: Self.day0))
        #expect(pruned == 4 * 2 + 2 + 4)  // 2 minutes of 4 devices (and their pool minute), a day's hour of 4
        #expect(try count(.minute) == 1 && count(.hour) == 2 && count(.day) == 3)
    }
}
