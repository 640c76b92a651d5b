import Foundation
import ReservoirCore

/// What a workload does with the device share it holds at one instant: utilization of the share
/// (0…100 % of what the share may use) and the fraction of the share's memory in use (0…1).
public struct ShareLoad: Hashable, Sendable {
    public var utilPercent: Double
    public var memoryFraction: Double

    public init(utilPercent: Double, memoryFraction: Double) {
        self.utilPercent = utilPercent
        self.memoryFraction = memoryFraction
    }
}

/// How a simulated workload loads its GPUs over its life: pure and deterministic (the same kind, seed,
/// job time, clock and offered load give the same reading), so the simulator, the demo's history and
/// the tests all see the same curves. No clock is read here.
///
/// - training: 85–98 %, with a checkpoint every 30–60 minutes of job time during which the GPUs drop
///   to 0–10 % for 2–5 minutes; one job in five is data-loader-bound and runs at 40–60 %. Memory is
///   high (80–92 %) and steady, checkpoints included.
/// - inference: utilization is the offered QPS over the replica's capacity, clipped to 0…100 %; memory
///   is the model's weights (30–50 %) plus a KV cache that grows with the load. Without offered
///   traffic the replica follows a working day in UTC+8 (the demo's region) on Reservoir's clock.
/// - test (interactive, notebooks): mostly idle at 0–5 % with an occasional 10-minute burst to
///   30–80 %; a small constant memory footprint (5–12 %).
/// - batch: steady at 65–83 %, memory 50–70 %.
public struct LoadProfile: Hashable, Sendable {
    public var kind: WorkloadKind
    public var seed: UInt64

    public init(kind: WorkloadKind, seed: UInt64) {
        self.kind = kind
        self.seed = seed
    }

    /// The profile of a job: its seed is a stable hash of its id.
    public init(kind: WorkloadKind, job: JobID) {
        self.init(kind: kind, seed: StableHash.fnv1a(job.rawValue))
    }

    /// Fraction of training jobs bound by their data loader.
    public static let loaderBoundShare = 0.2

    // MARK: traits drawn once per seed

    /// Seconds of job time between two checkpoints (30–60 min).
    public var checkpointPeriod: Double { 1_800 + 1_800 * trait(1) }
    /// Seconds a checkpoint keeps the GPUs nearly idle (2–5 min).
    public var checkpointDuration: Double { 120 + 180 * trait(2) }
    /// Whether this training job waits on its input pipeline (runs at 40–60 %).
    public var isLoaderBound: Bool { kind == .training && trait(3) < Self.loaderBoundShare }

    /// Whether the job is writing a checkpoint `elapsed` seconds after it started: the first
    /// `checkpointDuration` of every period after the first.
    public func isCheckpointing(elapsed: Double) -> Bool {
        guard kind == .training, elapsed >= checkpointPeriod else { return false }
        return elapsed.truncatingRemainder(dividingBy: checkpointPeriod) < checkpointDuration
    }

    /// The reading `elapsed` seconds of job time after the job started, at `time` on Reservoir's
    /// clock (seconds since the Unix epoch), with `load` offered to an inference replica.
    public func reading(elapsed: Double, at time: Double, load: OfferedLoad? = nil) -> ShareLoad {
        let elapsed = max(0, elapsed)
        let minute = UInt64(elapsed / 60)
        switch kind {
        case .training:
            let memory = 0.80 + 0.12 * trait(4)
            if isCheckpointing(elapsed: elapsed) { return ShareLoad(utilPercent: 10 * noise(5, minute), memoryFraction: memory) }
            let util = isLoaderBound ? 40 + 20 * noise(6, minute) : 85 + 13 * noise(6, minute)
            return ShareLoad(utilPercent: util, memoryFraction: memory)
        case .inference:
            let fraction = load.map(Self.fraction) ?? diurnal(at: time)
            let weights = 0.30 + 0.20 * trait(7)
            return ShareLoad(utilPercent: 100 * fraction, memoryFraction: weights * (1 - fraction) + 0.92 * fraction)
        case .test:
            let window = UInt64(elapsed / 600)
            let bursting = noise(8, window) < 0.08
            let util = bursting ? 30 + 50 * noise(9, window) : 5 * noise(10, minute)
            return ShareLoad(utilPercent: util, memoryFraction: 0.05 + 0.07 * trait(11))
        case .batch:
            return ShareLoad(utilPercent: 65 + 12 * trait(12) + 6 * noise(13, minute), memoryFraction: 0.50 + 0.20 * trait(14))
        }
    }

    /// Offered QPS over capacity, clipped to 0…1 (no capacity: busy when any traffic is offered).
    static func fraction(_ load: OfferedLoad) -> Double {
        guard load.capacityQPS > 0 else { return load.qps > 0 ? 1 : 0 }
        return min(1, max(0, load.qps / load.capacityQPS))
    }

    /// An inference replica's own traffic without a service to drive it: 15–75 % of capacity over a
    /// working day in UTC+8 (quiet before dawn, busiest mid-afternoon), a little noise per minute.
    func diurnal(at time: Double) -> Double {
        let hourOfDay = ((time + 8 * 3_600) / 3_600).truncatingRemainder(dividingBy: 24)
        let daily = 0.5 - 0.5 * cos(2 * Double.pi * (hourOfDay - 3) / 24)
        return min(1, max(0, 0.15 + 0.60 * daily + 0.05 * (noise(15, UInt64(max(0, time) / 60)) - 0.5)))
    }

    /// A fixed draw in [0, 1) of this seed, one per trait number.
    private func trait(_ number: UInt64) -> Double { noise(number, 0) }

    /// A draw in [0, 1) of this seed for one stream and one step (a minute, a window): the same
    /// arguments always give the same value.
    private func noise(_ stream: UInt64, _ step: UInt64) -> Double {
        var rng = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ (step &* 0xD1B5_4A32_D192_ED03))
        _ = rng.next()
        return rng.nextUnit()
    }
}
