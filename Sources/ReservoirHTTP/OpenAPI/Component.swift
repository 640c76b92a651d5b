import ReservoirCore

/// A named schema in `components/schemas`; routes point at it with `ref`.
struct Component: Sendable {
    let name: String
    let schema: Schema

    init(_ name: String, _ schema: Schema) {
        self.name = name
        self.schema = schema
    }

    var ref: Schema { .ref(name) }
}

/// The shapes every request and response body is built from, and the list the document publishes.
/// Request bodies carry the input rules (`InputLimits`, `Bounds`) so a client or a fuzzer can tell a
/// valid body from an invalid one; responses carry types, required fields and enums, and forbid
/// undocumented fields.
enum Components {
    static let all: [Component] = [error, errorDetail]
        + [region, cluster, poolView, nodeView, deviceView, taint, gpuModel, nodeStateChange, deviceStateChange, importSummary]
        + [clusterDescription, regionSpec, clusterSpec, slurmSpec, poolSpec, nodeSpec]
        + [tenant, tenantInput, user, userInput, disableChange, tokenInfo, tokenRequest, issuedToken, quotaInput, quotaView]
        + [usageReport, usageLine, usageSession, usageReconciliation, usageDifference, auditEntry]
        + [job, resourceRequest, toleration, replicaPlacement, pendingReason, jobCommand, jobSubmission, submissionRequest]
        + [jobFilter, jobChange, cancelledJobs, explanation, jobEvent, jobLogs]
        + [demandSeries, capacityPlan, capacityPolicy, capacityRecommendation, yearPlan, forecast, whatIfInput]
        + [fulfilmentPlan, fulfilmentStep, fulfilmentPhase, capacityRequest, surgeOutcome, forecastError, forecastRecord]
        + [deviceProfile, jobPrediction, predictionErrors, predictionAccuracy]
        + [utilizationReport, utilizationPoint, utilizationSummary, telemetrySamples, deviceSample, telemetryIngestReceipt]
        + [agentReport, discoveredDevice, migInstance, deviceLink, agentSample, agentReportReceipt, deviceHealthEvent]
        + services + notifications + estimates + feasibility
        + requests + reviews + grants + leases + idleReclamation + reclamations
        + reports + prices + invoices + alerts + businessEvents
}

// MARK: Value rules shared by many bodies

extension Schema {
    /// An id of a tenant, user, region, cluster, pool or node (`InputLimits.identifier`).
    static let identifier = string(
        maxBytes: InputLimits.identifierBytes, minLength: 1, pattern: "^[a-z0-9][a-z0-9._-]{0,\(InputLimits.identifierBytes - 1)}$")
    /// A catalog model name, label or taint key (`InputLimits.symbol`).
    static let symbol = string(maxBytes: InputLimits.symbolBytes, minLength: 1, pattern: "^[A-Za-z0-9._/-]+$")

    /// Free text of at most `maxBytes` without control or text-direction characters (`InputLimits.text`).
    static func text(maxBytes: Int = InputLimits.textBytes, minLength: Int? = nil) -> Schema {
        string(maxBytes: maxBytes, minLength: minLength, pattern: noControl)
    }

    /// A display name (`InputLimits.name`).
    static let name = text(maxBytes: InputLimits.nameBytes, minLength: 1)

    /// Labels or a node selector (`InputLimits.labels`): symbol keys, short values.
    static let labels = map(text(maxBytes: InputLimits.valueBytes), maxEntries: InputLimits.entries)

    /// A time in Unix seconds, as requests may give it (`Bounds.unixSeconds`).
    static let unixSeconds = number(Bounds.unixSeconds).described("Unix seconds")

    /// No C0/C1 controls, no bidirectional overrides (the characters `InputLimits.text` refuses).
    static let noControl = #"^[^\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$"#
}
