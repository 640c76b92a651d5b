import ReservoirCore
import ReservoirServices

extension Components {
    static let feasibility = [waterLevelReply, waterLevel, feasibilityInput, feasibilityReport, allocationTerms]

    static let waterLevelReply = Component("WaterLevelReply", .object(required: ["at": .number(), "levels": .array(waterLevel.ref)]))

    static let waterLevel = Component("WaterLevel", .object(required: [
        "pool": .string(), "model": .string(), "total": .integer(minimum: 0), "allocated": .integer(minimum: 0),
        "reserved": Schema.integer(minimum: 0).described("the dynamic reserve plus what live grants promise and their jobs do not use yet"),
        "free": .integer(minimum: 0), "queued": Schema.integer(minimum: 0).described("GPUs asked by queued jobs that could run here"),
        "strategicReserve": .boolean, "dynamicReserve": Schema.integer(minimum: 0).described("the pool's reserve for P0 (part of reserved)"),
        "unavailable": Schema.integer(minimum: 0).described("failed, in maintenance, operator-reserved, or on a cordoned or down node"),
        "preemptible": Schema.integer(minimum: 0).described("held by preemptible work below P0: what an emergency may take"),
    ]))

    static let feasibilityInput = Component("FeasibilityInput", Schema.input(
        required: [
            "category": .cases(RequestCategory.self),
            "gpus": Schema.integer(1...1_000_000).described("GPUs asked"),
        ],
        optional: [
            "tenant": Schema.identifier.described("default: the caller's tenant"),
            "pool": Schema.identifier.described("default: every pool with the model is weighed"),
            "model": Schema.symbol.described("a catalog GPU model; default: any"),
            "durationHours": Schema.number(Bounds.requestHours).described("the window asked; default: no fixed term"),
            "emergency": Schema.boolean.described("the green channel: may use the dynamic reserve and preempt lower classes"),
        ]))

    static let feasibilityReport = Component("FeasibilityReport", .object(
        required: [
            "verdict": .cases(FeasibilityReport.Verdict.self), "violations": .array(.string()), "usesStrategicReserve": .boolean,
            "waterLevel": .array(waterLevel.ref), "message": .string(),
        ],
        optional: [
            "pool": .string(), "model": .string(),
            "estimatedStart": Schema.number().described("must-queue: Unix seconds when running work is expected to free enough (declared runtimes)"),
            "fits": Schema.ref(allocationTerms.name).described("must-shrink: the largest that fits; must-queue: what fits now"),
        ]))

    static let allocationTerms = Component("AllocationTerms", .object(
        required: ["gpus": .integer(minimum: 0)], optional: ["pool": .string(), "model": .string(), "durationHours": .number()]))
}
