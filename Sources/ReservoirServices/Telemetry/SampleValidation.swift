import ReservoirCore
import ReservoirStore

/// The ranges a device sample's readings must be in (the API document publishes them).
public enum SampleLimits {
    /// How far ahead of Reservoir's clock a sample may be (clock skew of a node), in seconds.
    public static let futureToleranceSeconds = 300.0
    /// The most power and temperature a GPU plausibly reports.
    public static let powerWatts = 0.0...10_000
    public static let temperatureCelsius = -50.0...200
}

/// The checks every device sample passes before anything of its report is stored, each failure naming
/// the sample's field (`samples[3].gpuUtilPercent`).
enum SampleValidation {
    static let futureToleranceSeconds = SampleLimits.futureToleranceSeconds
    static let powerWatts = SampleLimits.powerWatts
    static let temperatureCelsius = SampleLimits.temperatureCelsius

    static func check(_ sample: DeviceSample, at path: String, device: TelemetryDevice?, now: Double, oldest: Double) throws(ReservoirError) {
        guard let device else { throw .notFound("\(path).device", "no device \(sample.device) in the inventory") }
        guard sample.at.isFinite, sample.at <= now + futureToleranceSeconds else {
            throw .invalid("\(path).at", "must not be more than \(Int(futureToleranceSeconds)) s ahead of the server's clock")
        }
        guard sample.at >= oldest else {
            throw .invalid("\(path).at", "is older than the minute retention keeps (before \(Int(oldest)) Unix seconds)")
        }
        guard sample.gpuUtilPercent.isFinite, (0...100).contains(sample.gpuUtilPercent) else {
            throw .invalid("\(path).gpuUtilPercent", "must be 0…100 (%)")
        }
        guard (0...device.memoryMiB).contains(sample.memoryUsedMiB) else {
            throw .invalid("\(path).memoryUsedMiB", "must be 0…\(device.memoryMiB) (MiB, the memory of \(device.id))")
        }
        if let watts = sample.powerWatts, !(watts.isFinite && powerWatts.contains(watts)) {
            throw .invalid("\(path).powerWatts", "must be 0…\(Int(powerWatts.upperBound)) (W)")
        }
        if let celsius = sample.temperatureCelsius, !(celsius.isFinite && temperatureCelsius.contains(celsius)) {
            throw .invalid("\(path).temperatureCelsius", "must be \(Int(temperatureCelsius.lowerBound))…\(Int(temperatureCelsius.upperBound)) (°C)")
        }
        if let xid = sample.xidErrors, xid < 0 { throw .invalid("\(path).xidErrors", "must not be negative") }
        if let ecc = sample.eccErrors, ecc < 0 { throw .invalid("\(path).eccErrors", "must not be negative") }
    }
}
