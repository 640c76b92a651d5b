import Foundation
import ReservoirCore
import ReservoirServices
import Testing

@Suite("Telemetry context")
struct TelemetryContextTests {
    static let agent = Principal(user: User(id: "agent-n01", roles: [.agent]))

    func sample(_ w: World, _ device: DeviceID = "n-01/gpu0", ago: Double = 0, util: Double = 50, memory: Int = 1024) -> DeviceSample {
        DeviceSample(device: device, at: w.clock.now - ago, gpuUtilPercent: util, memoryUsedMiB: memory)
    }

    func points(_ w: World, _ scope: UtilizationScope, by who: Principal = World.operatorPrincipal) throws -> [UtilizationPoint] {
        try w.reservoir.telemetry.utilization(
            UtilizationQuery(scope: scope, since: w.clock.now - 3_600, until: w.clock.now + 60, resolution: .minute), by: who
        ).points
    }

    func refusal(_ body: () throws -> Any) -> ReservoirError? {
        do { _ = try body() } catch let error as ReservoirError { return error } catch { return nil }
        return nil
    }

    @Test("a bad sample refuses the whole report, naming its field; nothing is stored")
    func validationNamesTheField() throws {
        let w = try World()
        let good = sample(w)
        let cases: [(DeviceSample, String, ReservoirError.Code)] = [
            (sample(w, "n-09/gpu0"), "samples[1].device", .notFound),
            (sample(w, util: 250), "samples[1].gpuUtilPercent", .invalidArgument),
            (sample(w, util: .nan), "samples[1].gpuUtilPercent", .invalidArgument),
            (sample(w, memory: -1), "samples[1].memoryUsedMiB", .invalidArgument),
            (sample(w, memory: 81_921), "samples[1].memoryUsedMiB", .invalidArgument),
            (sample(w, ago: -3_600), "samples[1].at", .invalidArgument),
            (sample(w, ago: 3 * 86_400), "samples[1].at", .invalidArgument),
            (sample(w, ago: .infinity), "samples[1].at", .invalidArgument),
        ]
        for (bad, field, code) in cases {
            let error = refusal { try w.reservoir.telemetry.ingest([good, bad], by: Self.agent) }
            #expect(error?.field == field && error?.code == code, "\(bad)")
        }
        var hot = sample(w)
        hot.temperatureCelsius = 900
        #expect(refusal { try w.reservoir.telemetry.record([hot]) }?.field == "samples[0].temperatureCelsius")
        let flood = Array(repeating: good, count: InputLimits.telemetrySamples + 1)
        #expect(refusal { try w.reservoir.telemetry.record(flood) }?.field == "samples")
        #expect(try points(w, .reservoir).isEmpty)
    }

    @Test("repeats of a device and minute are counted in the receipt and stored once")
    func receiptCountsDuplicates() throws {
        let w = try World()
        let first = try w.reservoir.telemetry.ingest([sample(w), sample(w, util: 99), sample(w, "n-01/gpu1")], by: Self.agent)
        #expect(first == TelemetryIngestReceipt(received: 3, accepted: 2, duplicates: 1))
        let again = try w.reservoir.telemetry.record([sample(w)])
        #expect(again == TelemetryIngestReceipt(received: 1, accepted: 0, duplicates: 1))
        #expect(try points(w, .reservoir).map(\.gpuUtilMax) == [50])
    }

    @Test("only the agent role and operators report; the agent reads nothing")
    func whoReports() throws {
        let w = try World()
        #expect(refusal { try w.reservoir.telemetry.ingest([sample(w)], by: w.member) }?.code == .permissionDenied)
        #expect(try w.reservoir.telemetry.ingest([sample(w)], by: World.operatorPrincipal).accepted == 1)
        #expect(refusal { try points(w, .reservoir, by: Self.agent) }?.code == .permissionDenied)
    }

    @Test("a member reads its own tenant, jobs and services, not another tenant's; inventory scopes are open")
    func tenantIsolation() async throws {
        let w = try World()
        let pump = await EventPump(w)
        let mine = try w.submit("mine", gpus: 1, runtime: 3_600)
        let theirs = try w.submit("theirs", gpus: 1, runtime: 3_600, by: w.other)
        _ = try await w.reservoir.scheduling.runSchedulingCycle()
        let held = try [mine, theirs].map { job in try #require(try w.job(job.id).placements.first).node.rawValue + "/gpu\(try w.job(job.id).placements[0].deviceIndices[0])" }
        _ = try w.reservoir.telemetry.record([sample(w, DeviceID(held[0]), util: 30), sample(w, DeviceID(held[1]), util: 90)])

        #expect(try points(w, .tenant("alpha"), by: w.member).map(\.gpuUtilMean) == [30])
        #expect(try points(w, .job(mine.id), by: w.member).map(\.gpuUtilMean) == [30])
        let otherTenant = refusal { try points(w, .tenant("beta"), by: w.member) }
        #expect(otherTenant?.code == .permissionDenied && otherTenant?.field == "id")
        let otherJob = refusal { try points(w, .job(theirs.id), by: w.member) }
        #expect(otherJob?.code == .notFound && otherJob?.field == "id")
        #expect(try points(w, .pool("p1"), by: w.member).map(\.devices) == [2])
        #expect(try points(w, .job(theirs.id)).map(\.gpuUtilMean) == [90])
        withExtendedLifetime(pump) {}
    }

    @Test("the summary gives the last day's peak and mean and the 7- and 30-day means from the roll-ups")
    func summary() throws {
        // The clock reads 22:13 UTC: 30 hours ago is yesterday, 5 and 2 hours ago today.
        let w = try World()
        _ = try w.reservoir.telemetry.record([(30.0, 10.0), (5, 40), (2, 80)].map { sample(w, ago: $0 * 3_600, util: $1, memory: 40_960) })
        let report = try w.reservoir.telemetry.utilization(
            UtilizationQuery(scope: .device("n-01/gpu0"), since: w.clock.now - 86_400, until: w.clock.now, resolution: .hour), by: World.operatorPrincipal)
        #expect(report.points.map(\.gpuUtilMean) == [40, 80])
        #expect(report.summary.dailyPeakGpuUtil == 80)
        #expect(report.summary.dailyMeanGpuUtil == 60)
        #expect(report.summary.dailyPeakMemoryFraction == 0.5)
        #expect(report.summary.weeklyMeanGpuUtil.map { abs($0 - 130.0 / 3) < 1e-9 } == true)
        #expect(report.summary.monthlyMeanMemoryFraction == 0.5)
        #expect(report.scope == .device && report.id == "n-01/gpu0")
    }

    @Test("retention is pruned as reports arrive on Reservoir's clock")
    func retentionOnTheClock() throws {
        let w = try World()
        _ = try w.reservoir.telemetry.record([sample(w)])
        let first = w.clock.now
        w.clock.advance(3 * 86_400)
        _ = try w.reservoir.telemetry.record([sample(w)])
        let range = UtilizationQuery(scope: .reservoir, since: first - 60, until: w.clock.now + 60, resolution: .minute)
        #expect(try w.store.utilization(range).map(\.at) == [(w.clock.now / 60).rounded(.down) * 60])
        #expect(try w.store.utilization(UtilizationQuery(scope: .reservoir, since: first - 60, until: w.clock.now + 60, resolution: .day)).count == 2)
    }

    @Test("a range too long for its resolution is refused, naming resolution")
    func rangeLimits() throws {
        let w = try World()
        let error = refusal {
            try w.reservoir.telemetry.utilization(
                UtilizationQuery(scope: .reservoir, since: 0, until: w.clock.now, resolution: .minute), by: World.operatorPrincipal)
        }
        #expect(error?.field == "resolution")
        #expect(refusal { try UtilizationScope(kind: .pool, id: nil) }?.field == "id")
        #expect(TelemetryResolution.suited(since: 0, until: 3_600) == .minute && TelemetryResolution.suited(since: 0, until: 30 * 86_400) == .day)
    }
}
