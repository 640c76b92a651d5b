import Foundation
import ReservoirCore
import ReservoirForecasting
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// Registering business events: operators only, every field validated before anything is stored,
/// one audited write; which series an event bears on.
@Suite("Business events")
struct BusinessEventsTests {
    static func input(start: Double = 1_800_000_000, end: Double = 1_800_086_400, uplift: Double? = 0.5, extra: Double? = nil,
                      pools: [String]? = ["p1"], models: [String]? = ["a100-80gb"]) -> BusinessEventInput {
        BusinessEventInput(name: "11.11 promotion", kind: .promotion, start: start, end: end, uplift: uplift, extraGPUs: extra, pools: pools, models: models)
    }

    func refusal(_ body: () throws -> Void) -> ReservoirError? {
        do { try body(); return nil } catch let error as ReservoirError { return error } catch { return nil }
    }

    @Test func badEventsAreRefusedNamingTheFieldAndNothingIsStored() throws {
        let world = try World()
        let op = World.operatorPrincipal
        let cases: [(BusinessEventInput, String)] = [
            (Self.input(start: 1_800_086_400, end: 1_800_000_000), "end"),
            (Self.input(start: 1_800_000_000, end: 1_800_000_000), "end"),
            (Self.input(uplift: nil), "uplift"),
            (Self.input(uplift: -1), "uplift"),
            (Self.input(uplift: .nan), "uplift"),
            (Self.input(uplift: nil, extra: -2), "extraGPUs"),
            (Self.input(uplift: nil, extra: .infinity), "extraGPUs"),
            (Self.input(start: -5), "start"),
            (Self.input(pools: ["p9"]), "pools"),
            (Self.input(models: ["Z9000"]), "models"),
        ]
        for (input, field) in cases {
            let error = refusal { _ = try world.reservoir.planning.registerEvent(input, by: op) }
            #expect(error?.code == .invalidArgument && error?.field == field, "\(field): \(String(describing: error))")
        }
        #expect(refusal { _ = try world.reservoir.planning.registerEvent(Self.input(), by: world.member) }?.code == .permissionDenied)
        #expect(try world.reservoir.planning.businessEvents(by: op).isEmpty)

        let stored = try world.reservoir.planning.registerEvent(Self.input(extra: 4), by: op)
        #expect(stored.id == "ev-1" && stored.models == ["A100-80GB"] && stored.createdBy == "user:admin", "models are stored canonical")
        #expect(try world.reservoir.planning.businessEvents(by: op) == [stored])
        let audit = try world.store.auditEntries(object: "business-events/ev-1", tenant: nil, limit: 10)
        #expect(audit.map(\.action) == ["event.register"])
        try world.reservoir.planning.withdrawEvent("ev-1", by: op)
        #expect(refusal { try world.reservoir.planning.withdrawEvent("ev-1", by: op) }?.code == .notFound)
    }

    /// An uplift multiplies a whole series, so it bears on a series only when the event names all of the
    /// series' pools and models; extra GPUs add to any series they share a pool and model with.
    @Test func anUpliftCoversWholeSeriesOnlyExtraGPUsAnyOverlap() {
        let uplift = BusinessEventRecord(name: "u", kind: .promotion, start: 0, end: 1, uplift: 0.5, extraGPUs: nil, pools: ["p1"], models: [],
                                         note: nil, createdAt: 0, createdBy: "t")
        var extra = uplift
        (extra.uplift, extra.extraGPUs) = (nil, 8)
        #expect(uplift.applies(toPools: ["p1"], models: ["A100-80GB", "T4"]))
        #expect(!uplift.applies(toPools: ["p1", "p2"], models: ["A100-80GB"]))
        #expect(extra.applies(toPools: ["p1", "p2"], models: ["A100-80GB"]))
        #expect(!extra.applies(toPools: ["p2"], models: ["A100-80GB"]))
    }
}

/// The server's series forecast models a yearly cycle from two years of job history and says, below
/// that, that it did not.
@Suite("Series forecasts: yearly seasonality")
struct SeriesForecastYearlyTests {
    @Test func twoYearsOfHistoryModelTheYearlyCycleAndLessSaysSo() throws {
        let clock = ManualClock(1_800_000_000)
        let world = try World(clock: clock)
        let hours = 2 * 365 * 24 + 7 * 24
        let first = (clock.now / 3600).rounded(.down) * 3600 - Double(hours) * 3600
        let history: [(job: Job, model: String)] = (0..<hours).map { h in
            let gpus = 3 + Int((2 * sin(2 * Double.pi * Double(h / 24) / 365)).rounded())
            var job = Job(
                id: "pending", name: "h\(h)", tenant: "alpha", submittedBy: "alice", pool: "p1", kind: .training,
                request: ResourceRequest(gpus: gpus, cpuMilli: 1000, memoryMiB: 1024, models: ["A100-80GB"]), priority: .p1,
                preemptible: false, runtimeSeconds: 3600, state: .succeeded, submittedAt: first + Double(h) * 3600)
            job.startedAt = job.submittedAt
            job.finishedAt = job.submittedAt + 3600
            return (job, "A100-80GB")
        }
        try world.store.insertHistory(history, by: Attribution(actor: "test", at: clock.now))

        let short = try world.reservoir.planning.forecastSeries(signal: .demand, pool: "p1", model: nil, horizon: 48, by: World.operatorPrincipal)
        #expect(!short.seasonality.contains("yearly") && short.notes.contains { $0.contains("28 days of history, two years (730 days) are needed") }, "\(short.notes)")

        var configuration = Reservoir.Configuration()
        configuration.planning.historyHours = hours
        let long = Reservoir(store: world.store, engine: world.engine, configuration: configuration, logger: World.logger, clock: clock.function)
        let yearly = try long.planning.forecastSeries(signal: .demand, pool: "p1", model: nil, horizon: 48, by: World.operatorPrincipal)
        #expect(yearly.seasonality == ["daily", "weekly", "yearly"] && yearly.method == "auto_ensemble+yearly", "\(yearly.seasonality) \(yearly.method)")
        #expect(!yearly.notes.contains { $0.contains("yearly") } && yearly.historyPoints == hours)
        #expect(yearly.forecast.mean.allSatisfy(\.isFinite) && yearly.forecast.upper80.allSatisfy(\.isFinite))
    }
}

/// The utilization forecast per pool and per model from the hourly telemetry roll-ups: hours without
/// samples are gaps, not zeros, and the forecast stays within 0–100 %.
@Suite("Series forecasts: utilization")
struct SeriesForecastUtilizationTests {
    @Test func aPoolsUtilizationIsForecastFromTheRollUpsGapsAndAll() throws {
        let clock = ManualClock(1_800_000_000)
        let world = try World(clock: clock)
        let device = try #require(try world.store.inventory().nodes.first?.devices.first?.id)
        let devices = try world.store.telemetryDevices([device])
        let until = (clock.now / 3600).rounded(.down) * 3600
        let samples = (0..<(10 * 24)).compactMap { h -> DeviceSample? in
            guard !(120..<130).contains(h) else { return nil }  // a morning without telemetry
            // A daily cycle with a little noise (a perfectly periodic series is no real pool's).
            let util = 50 + 40 * sin(2 * Double.pi * Double(h % 24) / 24) + Double((h * 7919) % 11) - 5
            return DeviceSample(device: device, at: until - Double(10 * 24 - h) * 3600 + 60, gpuUtilPercent: util, memoryUsedMiB: 1024)
        }
        _ = try world.store.recordPastSamples(samples, devices: devices, holders: [:])

        let op = World.operatorPrincipal
        let pool = try world.reservoir.planning.forecastSeries(signal: .utilization, pool: "p1", model: nil, horizon: 48, by: op)
        #expect(pool.unit == "percent" && pool.historyPoints == 240 && pool.forecast.mean.count == 48)
        let all = pool.forecast.mean + pool.forecast.lower80 + pool.forecast.upper80
        #expect(all.allSatisfy { $0.isFinite && (0...100).contains($0) }, "\(all)")
        #expect((pool.forecast.mean.max() ?? 0) > 80 && (pool.forecast.mean.min() ?? 100) < 20, "the daily cycle is kept: \(pool.forecast.mean.map { Int($0) })")
        let model = try world.reservoir.planning.forecastSeries(signal: .utilization, pool: nil, model: "a100-80gb", horizon: 24, by: op)
        #expect(model.model == "A100-80GB" && model.forecast.mean.count == 24)
        do {
            _ = try world.reservoir.planning.forecastSeries(signal: .utilization, pool: "p1", model: "A100-80GB", horizon: 24, by: op)
            Issue.record("utilization is per pool or per model")
        } catch let error as ReservoirError {
            #expect(error.field == "model")
        }
    }
}
