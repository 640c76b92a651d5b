import Foundation
import ReservoirCore

/// The intake form's rules (SPEC §5.1: "incomplete forms are rejected at once with the missing fields
/// named"). Wrong types and unknown keys are refused by strict decoding before this runs; this names
/// every missing, out-of-range, unknown or contradictory field in one answer, so an applicant fixes the
/// form in one round trip.
extension RequestForm {
    /// What the rules check the form against: the catalog, the pools and their GPU models, the
    /// emergency categories of the configuration file.
    struct Context {
        var catalog: GPUCatalog
        /// Every pool with the catalog models of its devices.
        var pools: [PoolID: Set<String>]
        var emergencyCategories: [String]
        /// The lease terms (`leases:`): the longest window per category.
        var leases = LeaseSettings()
    }

    /// The bounds of the form's numbers: wide enough for any real request, narrow enough to refuse a typo.
    public enum Limits {
        public static let parameters = EstimateRequest.Limits.parameters
        public static let tokens = EstimateRequest.Limits.tokens
        public static let datasetSizeGB = 0.001...1e9
        public static let gpus = 1...100_000
        public static let hours = Bounds.requestHours
        public static let latencyMs = EstimateRequest.Limits.latencyMs
        public static let qps = EstimateRequest.Limits.qps
        public static let haReplicas = EstimateRequest.Limits.replicasHA
        public static let canaryPercent = 0.0...100.0
        public static let libraries = InputLimits.entries
    }

    /// Every problem of the form, each naming its field (empty: the form is sound).
    func problems(_ context: Context) -> [ReservoirError] {
        var found = FormProblems()
        for (field, value) in [
            ("department", department), ("project", project), ("contact", contact), ("businessGoal", businessGoal), ("businessValue", businessValue),
        ] {
            found.requiredText(value, field, why: "every request states it")
        }
        if let tenant { found.check { try InputLimits.identifier(tenant.rawValue, field: "tenant") } }
        if let pool, context.pools[pool] == nil {
            found.add("pool", "no pool \(pool) (known: \(context.pools.keys.map(\.rawValue).sorted().joined(separator: ", ")))")
        }
        if let startsAt { found.range(startsAt, "startsAt", Bounds.unixSeconds) }
        guard let kind else {
            found.add("kind", "is required: training or inference")
            if category == nil { found.add("category", "is required: one of \(RequestCategory.allCases.map(\.rawValue).joined(separator: ", "))") }
            return found.all
        }
        if let category {
            if category.kind != kind { found.add("category", "\(category.rawValue) is a \(category.kind.rawValue) category, not a \(kind.rawValue) one") }
        } else {
            found.add("category", "is required: one of \(RequestCategory.allCases.filter { $0.kind == kind }.map(\.rawValue).joined(separator: ", "))")
        }
        switch kind {
        case .training:
            if inference != nil { found.add("inference", "belongs to an inference request, not a training one") }
            if let training { training.problems(category: category, context: context, pool: pool, into: &found) } else { found.add("training", "is required for a training request") }
        case .inference:
            if training != nil { found.add("training", "belongs to a training request, not an inference one") }
            if let inference { inference.problems(category: category, context: context, pool: pool, into: &found) } else { found.add("inference", "is required for an inference request") }
        }
        if let emergency {
            if let name = emergency.category {
                if !context.emergencyCategories.contains(name) {
                    found.add("emergency.category", "unknown emergency category \(name) (defined: \(context.emergencyCategories.joined(separator: ", ")))")
                }
            } else {
                found.add("emergency.category", "is required: one of \(context.emergencyCategories.joined(separator: ", "))")
            }
            found.requiredText(emergency.description, "emergency.description", why: "an emergency says what is happening")
            if let incident = emergency.incident { found.check { try InputLimits.text(incident, field: "emergency.incident", maxBytes: InputLimits.nameBytes) } }
        }
        return found.all
    }
}

extension TrainingDetails {
    fileprivate func problems(category: RequestCategory?, context: RequestForm.Context, pool: PoolID?, into found: inout FormProblems) {
        found.requiredText(modelName, "training.modelName", why: "name the model trained")
        found.requiredText(framework, "training.framework", why: "e.g. PyTorch")
        for (field, value) in [("training.modelType", modelType), ("training.datasetType", datasetType), ("training.cudaVersion", cudaVersion), ("training.pythonVersion", pythonVersion)] {
            if let value { found.check { try InputLimits.text(value, field: field, maxBytes: InputLimits.nameBytes) } }
        }
        found.range(parameters, "training.parameters", RequestForm.Limits.parameters, required: true)
        if tokens == nil, datasetSizeGB == nil { found.add("training.tokens", "or training.datasetSizeGB is required: how much the model trains on") }
        found.range(tokens, "training.tokens", RequestForm.Limits.tokens)
        found.range(datasetSizeGB, "training.datasetSizeGB", RequestForm.Limits.datasetSizeGB)
        found.model(gpuModel, "training.gpuModel", context: context, pool: pool)
        found.range(gpus, "training.gpus", RequestForm.Limits.gpus, required: true)
        // L1 runs have no fixed term; an L2 lease without a window gets its full term; the rest say how long they need.
        found.range(durationHours, "training.durationHours", RequestForm.Limits.hours, required: category != .largeModel && category != .fineTuning)
        found.lease(durationHours, "training.durationHours", category: category, context: context)
        if let libraries {
            found.check { try InputLimits.count(libraries.count, field: "training.libraries", max: RequestForm.Limits.libraries) }
            for (name, version) in libraries.sorted(by: { $0.key < $1.key }) {
                found.check { try InputLimits.text(name, field: "training.libraries", maxBytes: InputLimits.symbolBytes) }
                found.check { try InputLimits.text(version, field: "training.libraries.\(name)", maxBytes: InputLimits.valueBytes) }
            }
        }
    }
}

extension InferenceDetails {
    fileprivate func problems(category: RequestCategory?, context: RequestForm.Context, pool: PoolID?, into found: inout FormProblems) {
        found.requiredText(modelName, "inference.modelName", why: "name the model served (or its address)")
        for (field, value) in [("inference.inputFormat", inputFormat), ("inference.outputFormat", outputFormat)] {
            if let value { found.check { try InputLimits.text(value, field: field, maxBytes: InputLimits.nameBytes) } }
        }
        if let sla {
            found.range(sla.p99LatencyMs, "inference.sla.p99LatencyMs", RequestForm.Limits.latencyMs, required: true)
            found.range(sla.meanLatencyMs, "inference.sla.meanLatencyMs", RequestForm.Limits.latencyMs)
            found.range(sla.peakQPS, "inference.sla.peakQPS", RequestForm.Limits.qps, required: true)
            found.range(sla.meanQPS, "inference.sla.meanQPS", RequestForm.Limits.qps)
            if let p99 = sla.p99LatencyMs, let mean = sla.meanLatencyMs, p99 < mean {
                found.add("inference.sla.p99LatencyMs", "\(p99) ms is below the mean latency of \(mean) ms")
            }
            if let peak = sla.peakQPS, let mean = sla.meanQPS, peak < mean {
                found.add("inference.sla.peakQPS", "\(peak) is below the mean QPS of \(mean)")
            }
        } else {
            found.add("inference.sla", "is required: p99LatencyMs and peakQPS at least")
        }
        found.range(haReplicas, "inference.haReplicas", RequestForm.Limits.haReplicas)
        found.range(canaryPercent, "inference.canaryPercent", RequestForm.Limits.canaryPercent)
        found.model(gpuModel, "inference.gpuModel", context: context, pool: pool)
        found.range(gpus, "inference.gpus", RequestForm.Limits.gpus)
        if let loadTest {
            if !EstimateRequest.Limits.loadTestRows.contains(loadTest.count) {
                found.add("inference.loadTest", "must have \(EstimateRequest.Limits.loadTestRows.lowerBound)…\(EstimateRequest.Limits.loadTestRows.upperBound) rows, got \(loadTest.count)")
            }
            for (i, row) in loadTest.prefix(EstimateRequest.Limits.loadTestRows.upperBound).enumerated() {
                found.range(row.concurrency, "inference.loadTest[\(i)].concurrency", EstimateRequest.Limits.concurrency)
                found.range(row.p50Ms, "inference.loadTest[\(i)].p50Ms", EstimateRequest.Limits.latencyMs)
                found.range(row.p99Ms, "inference.loadTest[\(i)].p99Ms", EstimateRequest.Limits.latencyMs)
                found.range(row.qps, "inference.loadTest[\(i)].qps", EstimateRequest.Limits.qps)
                if row.p99Ms < row.p50Ms { found.add("inference.loadTest[\(i)].p99Ms", "\(row.p99Ms) ms is below its p50 of \(row.p50Ms) ms") }
            }
        } else if gpus == nil {
            found.add("inference.gpus", "or inference.loadTest is required: how many GPUs, or the load test to estimate them from")
        }
        // Online services have no fixed term; a batch says how long it runs.
        found.range(durationHours, "inference.durationHours", RequestForm.Limits.hours, required: category == .offlineBatch)
        found.lease(durationHours, "inference.durationHours", category: category, context: context)
    }
}

extension RequestCategory {
    /// The `leases:` setting bounding this category's window.
    fileprivate var leaseSetting: String {
        switch self {
        case .fineTuning: "fineTuningMaxDays"
        case .research: "researchMaxDays"
        case .offlineBatch: "offlineBatchMaxDays"
        case .largeModel, .online: "none"
        }
    }
}

/// The problems found so far, in the order the form lists its fields.
private struct FormProblems {
    private(set) var all: [ReservoirError] = []

    mutating func add(_ field: String, _ message: String) { all.append(.invalid(field, message)) }

    mutating func check(_ rule: () throws -> Void) {
        do { try rule() } catch { all.append(error as? ReservoirError ?? .invalid("body", "\(error)")) }
    }

    mutating func requiredText(_ value: String?, _ field: String, why: String) {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return add(field, "is required: \(why)") }
        check { try InputLimits.text(value, field: field, maxBytes: InputLimits.nameBytes) }
    }

    mutating func range<T: Comparable & Sendable>(_ value: T?, _ field: String, _ bounds: ClosedRange<T>, required: Bool = false) {
        guard let value else {
            if required { add(field, "is required") }
            return
        }
        if let number = value as? Double, !number.isFinite { return add(field, "must be a finite number") }
        if !bounds.contains(value) { add(field, "must be within \(bounds.lowerBound)…\(bounds.upperBound), got \(value)") }
    }

    /// A window no longer than its category's lease (SPEC §5.7): more time is an extension asked before expiry.
    mutating func lease(_ hours: Double?, _ field: String, category: RequestCategory?, context: RequestForm.Context) {
        guard let hours, RequestForm.Limits.hours.contains(hours), let category, let days = context.leases.maxDays(for: category), hours > days * 24 else { return }
        add(field, "\(hours) hours is longer than a \(category.rawValue) lease allows (at most \(days) days = \(days * 24) hours, leases.\(category.leaseSetting)); ask for an extension before it ends instead")
    }

    /// A required catalog GPU model, present in the asked pool (or in some pool).
    mutating func model(_ name: String?, _ field: String, context: RequestForm.Context, pool: PoolID?) {
        guard let name else { return add(field, "is required: a catalog GPU model (see /v1/catalog)") }
        guard let model = context.catalog.canonicalName(name) else {
            return add(field, "'\(name)' is not a catalog GPU model (known: \(context.catalog.models.map(\.name).joined(separator: ", ")))")
        }
        if let pool, let models = context.pools[pool] {
            if !models.contains(model) { add(field, "pool \(pool) has no \(model) (it has: \(models.sorted().joined(separator: ", ")))") }
        } else if pool == nil, !context.pools.values.contains(where: { $0.contains(model) }) {
            add(field, "no pool has \(model)")
        }
    }
}
