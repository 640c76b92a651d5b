import ReservoirCore
import ReservoirForecasting

/// Demand history, capacity plans, what-if answers and past forecasts.
extension Components {
    static let demandSeries = Component("DemandSeries", .object(required: [
        "start": Schema.number().described("Unix seconds of the first step"), "step": Schema.number().described("Seconds per step"),
        "inUse": .array(.number()), "arrived": .array(.number()), "queued": .array(.number()),
    ]))

    static let capacityPlan = Component("CapacityPlan", .object(required: [
        "generatedAt": .number(), "policy": capacityPolicy.ref, "historyHours": .integer(), "horizonHours": .integer(),
        "recommendations": .array(capacityRecommendation.ref), "multiYear": .map(.array(yearPlan.ref)), "skipped": .map(.string()),
    ]))

    static let capacityPolicy = Component("CapacityPolicy", .object(required: [
        "expansionThreshold": .number(Bounds.expansionThreshold), "buffer": .number(Bounds.expansionBuffer),
        "sustainedHours": .integer(minimum: 1),
    ]))

    static let capacityRecommendation = Component("CapacityRecommendation", .object(
        required: [
            "model": .string(), "action": .cases(CapacityRecommendation.Action.self), "installed": .integer(),
            "sustainedPeak": .number(), "sustainedPeakLower80": .number(), "sustainedPeakUpper80": .number(), "peakUtilization": .number(),
            "gpus": .integer(), "gpusLower80": .integer(), "gpusUpper80": .integer(), "rentGPUs": .integer(), "rentHours": .number(),
            "purchaseCost": .number(), "rentCost": .number(), "forecast": forecast.ref,
        ],
        optional: ["neededByHours": .integer(), "orderByHours": .number()]))

    static let yearPlan = Component("YearPlan", .object(required: [
        "year": .integer(), "demand": .number(), "utilizationTarget": .number(), "capacity": .integer(), "purchase": .integer(),
        "capex": .number(), "utilization": .number(),
    ]))

    static let forecast = Component("Forecast", .object(required: [
        "mean": .array(.number()), "lower80": .array(.number()), "upper80": .array(.number()),
    ]))

    /// `WhatIfInput`: `POST /v1/plans/whatif`; a request names its region and GPUs.
    static let whatIfInput = Component("WhatIfInput", Schema.input(
        required: ["scenario": .cases(["request", "surge"]), "model": .text(maxBytes: InputLimits.symbolBytes)],
        optional: [
            "region": Schema.string().described("request: the region asked for (required)"),
            "gpus": Schema.integer(Bounds.whatIfGPUs).described("request: GPUs asked for (required)"),
            "priority": .cases(PriorityClass.self), "durationHours": .number(Bounds.requestHours),
            "factor": Schema.number(Bounds.surgeFactor).described("surge: demand multiplier (default 3)"),
            "fromHour": Schema.integer(minimum: 0).described("surge: first hour of the window, within the planning horizon"),
            "hours": Schema.integer(minimum: 1).described("surge: length of the window, within the planning horizon"),
        ]
    ).requiring(anyOf: [
        .object(required: ["scenario": .cases(["request"]), "region": .string(), "gpus": .integer(Bounds.whatIfGPUs)], open: true),
        .object(required: ["scenario": .cases(["surge"])], open: true),
    ]))

    static let fulfilmentPlan = Component("FulfilmentPlan", .object(required: [
        "request": capacityRequest.ref, "steps": .array(fulfilmentStep.ref), "phases": .array(fulfilmentPhase.ref),
        "totalCost": .number(), "preemptedGPUHours": .number(), "shortfall": .integer(minimum: 0),
    ]))

    static let fulfilmentStep = Component("FulfilmentStep", .object(required: [
        "order": .integer(), "kind": .cases(FulfilmentStep.Kind.self), "source": .string(), "gpus": .integer(),
        "availableAtHours": .number(), "cost": .number(), "preemptedGPUHours": .number(), "note": .string(),
    ]))

    static let fulfilmentPhase = Component("FulfilmentPhase", .object(required: ["atHours": .number(), "gpus": .integer()]))

    static let capacityRequest = Component("CapacityRequest", .object(required: [
        "region": .string(), "model": .string(), "gpus": .integer(), "priorityRank": .integer(), "durationHours": .number(),
    ]))

    static let surgeOutcome = Component("SurgeOutcome", .object(required: [
        "surged": forecast.ref, "peakShortfall": .number(), "unservedGPUHours": .number(), "recommendation": capacityRecommendation.ref,
    ]))

    static let forecastError = Component("ForecastError", .object(
        required: ["record": forecastRecord.ref, "realizedPoints": .integer(minimum: 0)],
        optional: ["mae": .number(), "mape": .number(), "cov80": .number()]))

    static let forecastRecord = Component("ForecastRecord", .object(
        required: [
            "createdAt": .number(), "series": .string(), "start": .number(), "step": .number(), "mean": .array(.number()),
            "lower80": .array(.number()), "upper80": .array(.number()), "method": .string(),
        ],
        optional: ["id": .integer()]))
}
