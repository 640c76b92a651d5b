import ReservoirCore
import ReservoirServices

/// Metering: the reconciliation of Reservoir's sessions against the engines' own accounting.
extension Components {
    static let usageReconciliation = Component("UsageReconciliation", .object(
        required: [
            "since": .number(), "until": .number(),
            "clusters": Schema.array(.string()).described("Clusters whose engine keeps its own accounting and was read; empty: none (see note)"),
            "jobs": Schema.integer(minimum: 0).described("Jobs compared, on either side"),
            "toleranceSeconds": Schema.number(minimum: 0).described("Seconds per GPU held two figures may differ by"),
            "toleranceFraction": Schema.number(minimum: 0).described("Or this fraction of the larger figure, whichever is more"),
            "differences": .array(usageDifference.ref),
        ],
        optional: ["note": Schema.string().described("Why nothing could be compared")]))

    static let usageDifference = Component("UsageDifference", .object(
        required: [
            "job": .string(), "kind": .cases(UsageReconciliationReport.Kind.self),
            "reservoirGPUSeconds": Schema.number(minimum: 0).described("By Reservoir's sessions inside the period"),
            "engineGPUSeconds": Schema.number(minimum: 0).described("By the engine's accounted runs inside the period"),
            "engineIDs": Schema.array(.string()).described("The engine's ids of the job's runs"),
        ],
        optional: ["tenant": .string()]))
}
