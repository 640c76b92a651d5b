import ReservoirCore
import ReservoirServices

/// Node agents' reports and device health.
extension Components {
    /// `AgentReport`: what `reservoir agent` posts once a minute.
    static let agentReport = Component("AgentReport", .input(required: [
        "node": .identifier, "devices": .array(discoveredDevice.ref, maxItems: Bounds.nodeGPUs.upperBound),
        "samples": .array(agentSample.ref, maxItems: Bounds.agentSamples.upperBound),
    ]))

    static let discoveredDevice = Component("DiscoveredDevice", .input(
        required: [
            "index": .integer(Bounds.nodeGPUs), "name": .text(maxBytes: InputLimits.nameBytes),
            "migInstances": .array(migInstance.ref, maxItems: InputLimits.entries), "links": .array(deviceLink.ref, maxItems: InputLimits.entries),
        ],
        optional: [
            "uuid": .text(maxBytes: InputLimits.nameBytes), "model": .text(maxBytes: InputLimits.symbolBytes),
            "memoryMiB": .integer(Bounds.catalogMemoryMiB), "migEnabled": .boolean, "lastXid": .integer(Bounds.reportedXid),
        ]))

    static let migInstance = Component("MIGInstance", .input(required: [:], optional: [
        "profile": .text(maxBytes: InputLimits.symbolBytes), "uuid": .text(maxBytes: InputLimits.nameBytes),
        "gpuInstance": .integer(0...1_000), "computeInstance": .integer(0...1_000),
        "memoryMiB": .integer(Bounds.catalogMemoryMiB), "memoryUsedMiB": .integer(Bounds.catalogMemoryMiB),
    ]))

    static let deviceLink = Component("DeviceLink", .input(required: ["peer": .integer(Bounds.nodeGPUs), "kind": .text(maxBytes: 16)]))

    /// `DeviceSample` as an agent sends it (memory is checked against the device's on the server).
    static let agentSample = Component("AgentSample", .input(
        required: [
            "device": .text(maxBytes: InputLimits.textBytes), "at": .unixSeconds, "gpuUtilPercent": .number(Bounds.reportedUtilPercent),
            "memoryUsedMiB": .integer(Bounds.catalogMemoryMiB),
        ],
        optional: [
            "powerWatts": .number(Bounds.reportedPowerWatts), "temperatureCelsius": .number(Bounds.reportedTemperature),
            "xidErrors": .integer(Bounds.reportedErrors), "eccErrors": .integer(Bounds.reportedErrors),
        ]))

    static let agentReportReceipt = Component("AgentReportReceipt", .object(required: [
        "node": .string(), "devices": .integer(minimum: 0), "samples": .integer(minimum: 0), "events": .array(deviceHealthEvent.ref),
        "requeued": .array(.string()), "failed": .array(.string()), "awaitingOperator": .array(.string()),
    ]))

    static let deviceHealthEvent = Component("DeviceHealthEvent", .object(required: [
        "device": .string(), "node": .string(), "at": .number(), "from": .cases(DeviceState.self), "to": .cases(DeviceState.self),
        "cause": .cases(HealthCause.self), "detail": .string(), "actor": .string(),
    ]))
}
