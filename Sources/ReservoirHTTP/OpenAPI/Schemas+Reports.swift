import ReservoirCore

/// The monthly transparency report (`MonthlyReport`) as JSON.
extension Components {
    static let reports = [
        monthlyReport, reportFigure, waterLevelSection, waterLevelRow, utilizationSection, dailyUtilization, modelUtilization, queueWaitSection,
        incidentSection, countByKey, rankedSubject, redList, blackList, applicationFigure, reclamationSection, reclaimedItem,
    ]

    private static let reportPercent = Schema.number().described("Percent")
    private static let reportGPUHours = Schema.number(minimum: 0).described("Device-hours (fractional GPUs and MIG slices by their share)")

    static let monthlyReport = Component("MonthlyReport", .object(required: [
        "month": Schema.string().described("YYYY-MM (UTC)"), "since": Schema.number().described("Unix seconds"), "until": Schema.number().described("Unix seconds"),
        "asOf": Schema.number().described("Unix seconds the figures run to: the month's end, or now while it runs"),
        "complete": Schema.boolean.described("False while the month still runs"),
        "headline": Schema.array(reportFigure.ref).described("Each headline figure with the previous month's and the change"),
        "waterLevel": waterLevelSection.ref, "utilization": utilizationSection.ref, "queueWait": queueWaitSection.ref, "incidents": incidentSection.ref,
        "redList": redList.ref, "blackList": blackList.ref, "topApplications": .array(applicationFigure.ref), "reclamations": reclamationSection.ref,
        "notes": Schema.array(.string()).described("What the figures cannot say"),
    ]))

    static let reportFigure = Component("ReportFigure", .object(
        required: ["key": .string(), "label": .string(), "unit": Schema.string().described("GPUs, %, GPU-h, min or count")],
        optional: [
            "value": .number(), "previous": Schema.number().described("The previous month's value"),
            "change": Schema.number().described("value − previous (percentage points for %)"),
        ]))

    static let waterLevelSection = Component("WaterLevelSection", .object(required: [
        "total": waterLevelRow.ref, "byModel": .array(waterLevelRow.ref), "byRegion": .array(waterLevelRow.ref),
    ]))

    static let waterLevelRow = Component("WaterLevelRow", .object(
        required: [
            "total": Schema.integer(minimum: 0).described("GPUs in the inventory now"),
            "allocated": Schema.number(minimum: 0).described("Mean GPUs allocated over the month (usage sessions)"),
            "free": Schema.number(minimum: 0).described("total − allocated, at least 0"), "allocatedPercent": reportPercent, "usedGPUHours": reportGPUHours,
        ],
        optional: ["region": .string(), "model": .string()]))

    static let utilizationSection = Component("UtilizationSection", .object(
        required: ["daily": .array(dailyUtilization.ref), "byModel": .array(modelUtilization.ref)],
        optional: ["gpuMeanPercent": reportPercent, "memoryMeanPercent": reportPercent]))

    static let dailyUtilization = Component("DailyUtilization", .object(required: [
        "day": Schema.string().described("YYYY-MM-DD (UTC)"), "gpuMeanPercent": reportPercent, "memoryMeanPercent": reportPercent,
    ]))

    static let modelUtilization = Component("ModelUtilization", .object(required: [
        "model": .string(), "gpuMeanPercent": reportPercent, "memoryMeanPercent": reportPercent,
    ]))

    static let queueWaitSection = Component("QueueWaitSection", .object(
        required: ["jobs": Schema.integer(minimum: 0).described("Jobs first admitted in the month")],
        optional: ["p50Seconds": .number(minimum: 0), "p95Seconds": .number(minimum: 0)]))

    static let incidentSection = Component("IncidentSection", .object(required: [
        "failedJobs": .integer(minimum: 0), "preemptions": .integer(minimum: 0),
        "deviceFaults": Schema.integer(minimum: 0).described("Health events that took a device out (XID, ECC, missing)"),
        "faultsByCause": .array(countByKey.ref),
    ]))

    static let countByKey = Component("CountByKey", .object(required: ["key": .string(), "count": .integer(minimum: 0)]))

    static let rankedSubject = Component("RankedSubject", .object(
        required: [
            "subject": Schema.string().described("tenant:ID, grant:ID, job:ID or service:ID"), "tenant": .string(), "unit": .string(),
            "usedGPUHours": reportGPUHours, "detail": .string(),
        ],
        optional: [
            "value": Schema.number().described("The measure the list ranks by"),
            "cost": Schema.string(pattern: "^-?[0-9]+\\.[0-9]{2,}$").described("Amount charged per GPU-hour used (exact decimal)"),
        ]))

    static let redList = Component("RedList", .object(required: [
        "highestUtilization": .array(rankedSubject.ref), "lowestUnitCost": .array(rankedSubject.ref),
    ]))

    static let blackList = Component("BlackList", .object(required: [
        "lowestUtilization": .array(rankedSubject.ref), "longIdle": .array(rankedSubject.ref), "largestGap": .array(rankedSubject.ref),
    ]))

    static let applicationFigure = Component("ApplicationFigure", .object(required: [
        "kind": .cases(["job", "service"]), "id": .string(), "name": .string(), "tenant": .string(), "gpuMeanPercent": reportPercent,
        "memoryMeanPercent": reportPercent, "usedGPUHours": reportGPUHours,
    ]))

    static let reclamationSection = Component("ReclamationSection", .object(required: [
        "count": .integer(minimum: 0), "freedGPUHours": .number(minimum: 0), "byReason": .array(countByKey.ref), "records": .array(reclaimedItem.ref),
    ]))

    static let reclaimedItem = Component("ReclaimedItem", .object(required: [
        "id": .string(), "day": .string(), "reason": .cases(ReclamationReason.self), "tenant": .string(), "object": .string(),
        "freedGPUHours": .number(minimum: 0),
    ]))
}
