import ReservoirCore
import ReservoirForecasting
import ReservoirServices

/// Demand history, capacity plans, what-if answers and past forecasts.
extension Components {
    static let demandSeries = Component("DemandSeries", .object(required: [
        "start": Schema.number().described("Unix seconds of the first step"), "step": Schema.number().described("Seconds per step"),
        "inUse": .array(.number()), "arrived": .array(.number()), "queued": .array(.number()),
    ]))

    static let capacityPlan = Component("CapacityPlan", .object(required: [
        "generatedAt": .number(), "policy": capacityPolicy.ref, "historyHours": .integer(), "horizonHours": .integer(),
        "recommendations": .array(capacityRecommendation.ref), "multiYear": .map(.array(yearPlan.ref)), "skipped": .map(.string()),
        "events": Schema.map(.array(businessEvent.ref)).described("Per model, the business events its forecast includes"),
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

    /// Business events and series forecasts (`/v1/business-events`, `/v1/series/forecast`).
    static let businessEvents: [Component] = [businessEvent, businessEventInput, seriesForecast]

    static let businessEvent = Component("BusinessEvent", .object(
        required: [
            "id": .string(), "name": .string(), "kind": .cases(BusinessEventRecord.Kind.self), "start": .number(), "end": .number(),
            "pools": .array(.string()), "models": .array(.string()), "createdAt": .number(), "createdBy": .string(),
        ],
        optional: ["uplift": .number(), "extraGPUs": .number(), "note": .string()]))

    /// `BusinessEventInput`: `POST /v1/business-events`; end after start, uplift or extraGPUs or both.
    static let businessEventInput = Component("BusinessEventInput", Schema.input(
        required: [
            "name": .name, "start": Schema.unixSeconds.described("Unix seconds: the event starts"),
            "end": Schema.unixSeconds.described("Unix seconds, after start: the event is over"),
        ],
        optional: [
            "kind": .cases(BusinessEventRecord.Kind.self),
            "uplift": Schema.number(Bounds.eventUplift).described("Expected relative uplift of demand: 0.5 = +50 %"),
            "extraGPUs": Schema.number(Bounds.eventGPUs).described("Expected GPUs in use on top of the usual demand, per affected model"),
            "pools": Schema.array(.identifier, maxItems: InputLimits.entries).described("Pools affected (none: all)"),
            "models": Schema.array(.symbol, maxItems: InputLimits.entries).described("Device models affected (none: all)"),
            "note": .text(),
        ]
    ).requiring(anyOf: [
        .object(required: ["uplift": .number()], open: true), .object(required: ["extraGPUs": .number()], open: true),
    ]))

    static let seriesForecast = Component("SeriesForecast", .object(
        required: [
            "signal": .cases(SeriesForecast.Signal.self), "unit": .string(), "historyStart": .number(), "historyPoints": .integer(minimum: 0),
            "start": .number(), "step": .number(), "method": .string(), "forecast": forecast.ref, "seasonality": .array(.string()),
            "events": .array(businessEvent.ref), "notes": .array(.string()),
        ],
        optional: ["pool": .string(), "model": .string()]))
}
