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
    /// (0 where none happened); without it the field is left unreported.
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
            return DeviceSample(
                device: device.id, at: time, gpuUtilPercent: min(100, max(0, util)),
                memoryUsedMiB: min(device.memoryMiB, max(0, Int(memory.rounded()))), xidErrors: xid ? xidErrors : nil)
        }
    }
}
