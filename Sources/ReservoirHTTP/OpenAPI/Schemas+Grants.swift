import ReservoirCore
import ReservoirServices

/// Grants: what approved requests became, their use and what they preempted.
extension Components {
    static let grants: [Component] = [grant, grantAccess, emergencyDetails, grantView, grantJobUse, grantPreemption]

    static let grant = Component("Grant", .object(
        required: [
            "id": .string(), "request": .string(), "tenant": .string(), "pool": .string(), "gpuMilli": .integer(minimum: 0),
            "priority": Schema.cases(PriorityClass.self).described("The class its jobs run in: P0 on the green channel"),
            "category": .cases(RequestCategory.self), "state": .cases(GrantState.self),
            "startsAt": Schema.number().described("Unix seconds"), "access": grantAccess.ref, "createdAt": .number(),
            "approvedBy": Schema.string().described("user:ID, or system:auto-approval"),
        ],
        optional: [
            "model": Schema.string().described("Catalog GPU model; absent: any model of the pool"),
            "emergency": emergencyDetails.ref, "endsAt": Schema.number().described("Unix seconds; absent: no fixed term"),
            "estimatedGPUHours": .number(minimum: 0),
            "extensions": Schema.array(leaseExtension.ref).described("Extension requests of its lease, newest last"),
            "noticesSent": Schema.array(.integer(minimum: 1)).described("Lease notices sent or skipped, as days before the end"),
        ]))

    static let grantAccess = Component("GrantAccess", .object(required: [
        "engine": .string(), "account": .string(), "partition": .string(), "qos": .string(), "queue": .string(),
        "instructions": Schema.string().described("How to submit under the grant"),
    ]))

    static let emergencyDetails = Component("EmergencyDetails", .object(
        required: [:], optional: ["category": .string(), "incident": .string(), "description": .string()]))

    static let grantView = Component("GrantView", .object(required: [
        "grant": grant.ref, "usedGPUMilli": Schema.integer(minimum: 0).described("Held now by the grant's admitted and running jobs"),
        "jobs": .array(grantJobUse.ref), "preempted": Schema.array(grantPreemption.ref).described("Jobs evicted to make room for the grant's jobs"),
    ]))

    static let grantJobUse = Component("GrantJobUse", .object(required: [
        "id": .string(), "state": .cases(JobState.self), "gpuMilli": .integer(minimum: 0),
    ]))

    static let grantPreemption = Component("GrantPreemption", .object(
        required: ["priority": .cases(PriorityClass.self), "state": .cases(JobState.self)],
        optional: [
            "job": Schema.string().described("Absent for another tenant's job unless the reader sees every tenant"),
            "tenant": .string(),
        ]))
}
