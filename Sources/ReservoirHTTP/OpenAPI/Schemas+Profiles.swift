import ReservoirCore
import ReservoirScheduling
import ReservoirServices

/// Device resource profiles, job predictions and their accuracy.
extension Components {
    /// `DeviceProfile`.
    static let deviceProfile = Component("DeviceProfile", .object(
        required: [
            "device": .string(), "node": .string(), "index": .integer(minimum: 0), "pool": .string(), "model": .string(),
            "memoryMiB": .integer(minimum: 0), "memoryBandwidthGBps": .number(minimum: 0), "nvlink": .boolean,
            "pricePerHour": .number(minimum: 0), "priceClass": .cases(PriceClass.self), "faults30d": .integer(minimum: 0),
            "recentKinds": .map(.integer(minimum: 0)), "deviceClass": .cases(DeviceClass.self), "unreliable": .boolean,
            "reason": .string(),
        ],
        optional: [
            "utilization7d": Schema.number(0...100).described("mean GPU utilization over 7 days, %"),
            "meanRuntimeSeconds": .number(minimum: 0),
        ]))

    /// `JobPrediction`.
    static let jobPrediction = Component("JobPrediction", .object(
        required: [
            "runtimeSeconds": .number(minimum: 0), "basis": .cases(RuntimePredictor.Basis.self), "samples": .integer(minimum: 1),
            "percentile": .number(0...1),
        ],
        optional: ["peakGPUMemoryMiB": .integer(minimum: 0)]))

    /// `PredictionAccuracy.Errors`.
    static let predictionErrors = Component("PredictionErrors", .object(required: [
        "predicted": .integer(minimum: 0), "maeSeconds": .number(minimum: 0), "tooShortShare": .number(0...1),
    ]))

    /// `PredictionAccuracy`.
    static let predictionAccuracy = Component("PredictionAccuracy", .object(required: [
        "jobs": .integer(minimum: 0), "prediction": predictionErrors.ref, "byBasis": .map(predictionErrors.ref),
        "tenantMean": predictionErrors.ref, "percentile": .number(0...1),
    ]))
}
