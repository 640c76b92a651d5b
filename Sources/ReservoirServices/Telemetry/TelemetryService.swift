import ReservoirCore
import ReservoirEngine
import ServiceLifecycle

/// Samples the engines that can read their devices (the simulator; `TelemetryReporting`) once per
/// `telemetry.sampleIntervalSeconds` of Reservoir's clock and records the batch as the system's own
/// telemetry. Node agents report on their own (`POST /v1/agent/reports`); Slurm cannot be sampled.
///
/// The loop looks at the clock at least every second but samples only at the first look in each
/// interval (`TelemetrySchedule`), so it follows an accelerated or manual clock and an idle server
/// wakes briefly once a second. One pass is one batch: on the openb inventory (6,212 GPUs) one
/// `record` call of 6,212 samples a minute, written off the cooperative pool (`Offload`).
public struct TelemetryService: Service {
    /// Traffic offered to inference replicas at a time (the services context fills it; `[:]` without services).
    public typealias OfferedLoadSource = @Sendable (Double) -> [JobID: OfferedLoad]
    /// Where a batch goes (the telemetry context's system path).
    public typealias Recorder = @Sendable ([DeviceSample]) throws -> Void

    let reservoir: Reservoir
    let offeredLoad: OfferedLoadSource
    let record: Recorder
    let interval: Double

    /// - Parameters:
    ///   - interval: seconds between samples; default `telemetry.sampleIntervalSeconds`.
    ///   - record: where batches go; default `reservoir.telemetry.record` (tests pass a fake).
    public init(reservoir: Reservoir, interval: Double? = nil, offeredLoad: @escaping OfferedLoadSource = { _ in [:] }, record: Recorder? = nil) {
        self.reservoir = reservoir
        self.interval = interval ?? reservoir.configuration.telemetry.sampleIntervalSeconds
        self.offeredLoad = offeredLoad
        self.record = record ?? { _ = try reservoir.telemetry.record($0) }
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var schedule = TelemetrySchedule(interval: interval)
            while !Task.isCancelled {
                let now = reservoir.now()
                if schedule.isDue(at: now) { await sample(at: now) }
                let wait = min(1, max(0.05, schedule.nextDue - reservoir.now()))
                try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
            }
        }
    }

    /// One pass: every reporting engine's samples at `now`, recorded as one batch (batches of at most
    /// `InputLimits.telemetrySamples` on a larger inventory) and their XID/ECC errors handed to device
    /// health; nothing is recorded when no engine reports. Failures are logged and the next pass tries
    /// again. Returns the samples recorded.
    @discardableResult
    public func sample(at now: Double) async -> Int {
        guard let source = reservoir.engine as? any TelemetryReporting else { return 0 }
        var recorded = 0
        do {
            let samples = try await source.deviceSamples(at: now, load: offeredLoad(now))
            let record = self.record
            for start in stride(from: 0, to: samples.count, by: InputLimits.telemetrySamples) {
                let batch = Array(samples[start..<min(samples.count, start + InputLimits.telemetrySamples)])
                try await Offload.run { try record(batch) }
                recorded += batch.count
            }
            // XID/ECC errors in the engine's own readings fail their devices, as an agent's would.
            try await reservoir.health.recordFaults(in: samples)
            return recorded
        } catch {
            reservoir.logger.error("telemetry sampling failed", metadata: ["error": "\(error)"])
            return recorded
        }
    }
}

/// When the telemetry service samples: at the first look in each interval of Reservoir's clock
/// (intervals counted from the epoch, so samples land on minute boundaries' buckets), never twice in one.
struct TelemetrySchedule {
    let interval: Double
    private var lastBucket: Double?

    init(interval: Double) { self.interval = max(interval, 0.001) }

    /// Start of the interval after the last sampled one (or now, before the first sample).
    var nextDue: Double { lastBucket.map { ($0 + 1) * interval } ?? -.infinity }

    /// Whether a sample is due at `now`; if so, marks its interval sampled.
    mutating func isDue(at now: Double) -> Bool {
        let bucket = (now / interval).rounded(.down)
        guard lastBucket.map({ bucket > $0 }) ?? true else { return false }
        lastBucket = bucket
        return true
    }
}
