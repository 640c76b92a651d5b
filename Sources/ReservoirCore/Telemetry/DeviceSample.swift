/// One reading of one device at one instant, as a telemetry source reports it: the simulated engine
/// (from each workload's load profile) or a node agent (from `nvidia-smi` or a DCGM exporter).
/// Optional fields are those not every source has; nil means "not reported", never zero.
public struct DeviceSample: Codable, Hashable, Sendable {
    public var device: DeviceID
    /// Seconds since the Unix epoch, on Reservoir's clock.
    public var at: Double
    /// GPU (SM) utilization, 0…100 %.
    public var gpuUtilPercent: Double
    /// Framebuffer memory in use, MiB (0…the device's memory).
    public var memoryUsedMiB: Int
    public var powerWatts: Double?
    public var temperatureCelsius: Double?
    /// XID errors seen since the source's previous report (a count, not the last code).
    public var xidErrors: Int?
    /// Uncorrectable ECC errors seen since the source's previous report.
    public var eccErrors: Int?

    public init(
        device: DeviceID, at: Double, gpuUtilPercent: Double, memoryUsedMiB: Int, powerWatts: Double? = nil,
        temperatureCelsius: Double? = nil, xidErrors: Int? = nil, eccErrors: Int? = nil
    ) {
        self.device = device
        self.at = at
        self.gpuUtilPercent = gpuUtilPercent
        self.memoryUsedMiB = memoryUsedMiB
        self.powerWatts = powerWatts
        self.temperatureCelsius = temperatureCelsius
        self.xidErrors = xidErrors
        self.eccErrors = eccErrors
    }
}
