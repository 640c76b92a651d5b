import ReservoirCore

/// One workload's hold on one device at one instant, for `SimulatedTelemetry`.
public struct DeviceHolding: Hashable, Sendable {
    public var profile: LoadProfile
    /// Fraction of the device held (a whole GPU 1, a 500-milli share 0.5).
    public var share: Double
    /// GPU memory the share was promised (`gpuMemoryMiB` of a share request); nil: its part of the device's memory.
    public var memoryMiB: Int?
    /// Seconds of the job's own time since it started (simulated seconds on an accelerated simulator).
    public var elapsed: Double
    /// Traffic offered to an inference replica; nil: the profile's own.
    public var load: OfferedLoad?
    /// XID errors to report with the device (failure injection).
    public var xidErrors: Int

    public init(profile: LoadProfile, share: Double, memoryMiB: Int? = nil, elapsed: Double, load: OfferedLoad? = nil, xidErrors: Int = 0) {
        self.profile = profile
        self.share = share
        self.memoryMiB = memoryMiB
        self.elapsed = elapsed
        self.load = load
        self.xidErrors = xidErrors
    }
}

/// Turns who holds which device into device samples: pure, shared by the simulator's live telemetry and
/// the demo's seeded history.
public enum SimulatedTelemetry {
    /// One sample per accelerator of `devices` that can report (CPU sockets and failed devices do not) at
    /// `time`: an idle device reads 0 % and 0 MiB; shares on one device add up (utilization weighted by
    /// share, capped at 100 %; memory capped at the device's). `xid` adds an XID count to every sample
    /// (0 where none happened); without it the field is left unreported. Power and temperature follow
    /// utilization (`power(model:util:)`, `temperature(util:)`).
    public static func samples(devices: [Device], holdings: [DeviceID: [DeviceHolding]], at time: Double, xid: Bool = false) -> [DeviceSample] {
        devices.compactMap { device in
            guard device.kind != .cpu, device.state != .failed else { return nil }
            var util = 0.0
            var memory = 0.0
            var xidErrors = 0
            for holding in holdings[device.id] ?? [] {
                let share = min(1, max(0, holding.share))
                let reading = holding.profile.reading(elapsed: holding.elapsed, at: time, load: holding.load)
                let promised = holding.memoryMiB.map(Double.init) ?? share * Double(device.memoryMiB)
                util += share * reading.utilPercent
                memory += promised * reading.memoryFraction
                xidErrors += holding.xidErrors
            }
            let busy = min(100, max(0, util))
            return DeviceSample(
                device: device.id, at: time, gpuUtilPercent: busy, memoryUsedMiB: min(device.memoryMiB, max(0, Int(memory.rounded()))),
                powerWatts: power(model: device.model, util: busy), temperatureCelsius: temperature(util: busy), xidErrors: xid ? xidErrors : nil)
        }
    }

    /// Board power: 15 % of the model's power limit at idle, rising linearly to 95 % at full utilization.
    public static func power(model: String, util: Double) -> Double {
        (powerLimitWatts(model: model) * (0.15 + 0.80 * util / 100)).rounded()
    }

    /// Core temperature: 32 °C idle to 77 °C at full utilization (an air-cooled data-centre GPU).
    public static func temperature(util: Double) -> Double { (32 + 45 * util / 100).rounded() }

    /// The board power limit of a model, from its public data sheet (W); 300 W for one not listed.
    static func powerLimitWatts(model: String) -> Double {
        let name = model.lowercased()
        let limits: [(String, Double)] = [
            ("h200", 700), ("h100", 700), ("a100", 400), ("l40s", 350), ("a10", 150), ("v100", 300), ("p100", 250), ("t4", 70), ("910b", 400),
        ]
        return limits.first { name.contains($0.0) }?.1 ?? 300
    }
}
