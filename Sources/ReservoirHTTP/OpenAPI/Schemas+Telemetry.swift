import ReservoirCore
import ReservoirServices

extension Components {
    static let telemetrySamples = Component("TelemetrySamples", .input(required: [
        "samples": .array(deviceSample.ref, maxItems: InputLimits.telemetrySamples),
    ]))

    static let deviceSample = Component("DeviceSample", .input(
        required: [
            "device": Schema.string(maxBytes: InputLimits.symbolBytes, minLength: 1).described("A device id, <node>/gpu<index>"),
            "at": Schema.unixSeconds.described("When the reading was taken, Unix seconds (at most 5 minutes ahead, no older than the minute retention)"),
            "gpuUtilPercent": .number(0...100), "memoryUsedMiB": Schema.integer(minimum: 0).described("At most the device's memory"),
        ],
        optional: [
            "powerWatts": .number(SampleLimits.powerWatts), "temperatureCelsius": .number(SampleLimits.temperatureCelsius),
            "xidErrors": .integer(minimum: 0), "eccErrors": .integer(minimum: 0),
        ]))

    static let telemetryIngestReceipt = Component("TelemetryIngestReceipt", .object(required: [
        "received": .integer(minimum: 0), "accepted": .integer(minimum: 0), "duplicates": .integer(minimum: 0),
    ]))

    static let utilizationReport = Component("UtilizationReport", .object(
        required: [
            "scope": .cases(UtilizationScopeKind.self), "since": .number(), "until": .number(), "resolution": .cases(TelemetryResolution.self),
            "points": .array(utilizationPoint.ref), "summary": utilizationSummary.ref,
        ],
        optional: ["id": .string()]))

    static let utilizationPoint = Component("UtilizationPoint", .object(
        required: [
            "at": Schema.number().described("Start of the bucket, Unix seconds"), "gpuUtilMean": .number(0...100), "gpuUtilMax": .number(0...100),
            "memoryUsedMiBMean": .number(minimum: 0), "memoryFractionMean": .number(0...1), "memoryFractionMax": .number(0...1),
            "devices": .integer(minimum: 0), "samples": .integer(minimum: 0),
        ],
        optional: [
            "powerWattsMean": .number(minimum: 0), "powerWattsMax": .number(minimum: 0), "temperatureCelsiusMean": .number(),
            "temperatureCelsiusMax": .number(), "xidErrors": .integer(minimum: 0), "eccErrors": .integer(minimum: 0),
        ]))

    static let utilizationSummary = Component("UtilizationSummary", .object(required: [:], optional: [
        "dailyPeakGpuUtil": Schema.number(0...100).described("Highest minute of the last 24 hours, %"),
        "dailyPeakMemoryFraction": Schema.number(0...1).described("Highest memory fraction of the last 24 hours"),
        "dailyMeanGpuUtil": Schema.number(0...100).described("Mean of the last 24 hours, %"),
        "dailyMeanMemoryFraction": .number(0...1),
        "weeklyMeanGpuUtil": Schema.number(0...100).described("Mean of the last 7 UTC days, today included, %"),
        "weeklyMeanMemoryFraction": .number(0...1),
        "monthlyMeanGpuUtil": Schema.number(0...100).described("Mean of the last 30 UTC days, today included, %"),
        "monthlyMeanMemoryFraction": .number(0...1),
    ]))
}
