import ReservoirCore
import ReservoirForecasting
import ReservoirServices

/// The planning page's explicit questions, each a GET form whose answer shows on the page: the full
/// capacity plan (`plan=run`: every model forecast, CPU-heavy, so only on the button) and the two what-ifs
/// (`whatif=request`, `whatif=surge`). They call the same use cases as `GET /v1/plans/capacity` and
/// `POST /v1/plans/whatif`; a refusal is shown next to the field it names, with its 4xx status.
struct PlanningQuestions {
    let request: ConsoleRequest
    /// The refusal of the question asked, if any (its field says where it is shown).
    var error: ReservoirError?
    var data: [String: any Sendable] = [:]

    init(_ request: ConsoleRequest) { self.request = request }

    /// The question the query asks: `plan`, `request`, `surge`, or nil (none).
    var asked: String? { request.query("whatif") ?? (request.query("plan") == "run" ? "plan" : nil) }

    /// The refusal to show on the fields of `question`'s form (nil when another question was asked).
    func error(for question: String) -> ReservoirError? {
        guard asked == question, let error, let field = error.field, let shown = Self.fieldOf(question, field) else { return nil }
        return ReservoirError(error.code, field: shown, error.message)
    }

    /// Answers the question the query asks (none, the plan, or a what-if).
    mutating func answer() async throws {
        guard let asked else { return }
        do {
            switch asked {
            case "plan": data["plan"] = try await plan()
            case "request": data["fulfilment"] = try await fulfilment()
            case "surge": data["surge"] = try await surge()
            default: throw ReservoirError.invalid("whatif", "must be request or surge")
            }
        } catch let refusal as ReservoirError where refusal.code != .permissionDenied {
            error = refusal
            if refusal.field.flatMap({ Self.fieldOf(asked, $0) }) == nil { data["\(asked)Error"] = refusal.message }
        }
    }

    /// The form field showing an error of `field` for the question `asked` (nil: none, shown above the form).
    static func fieldOf(_ asked: String, _ field: String) -> String? {
        switch (asked, field) {
        case ("plan", "threshold"), ("plan", "buffer"): field
        case ("request", "model"): "requestModel"
        case ("request", "region"), ("request", "gpus"), ("request", "priority"), ("request", "durationHours"): field
        case ("surge", "model"): "surgeModel"
        case ("surge", "factor"), ("surge", "fromHour"), ("surge", "hours"): field
        default: nil
        }
    }

    private func plan() async throws -> [String: any Sendable] {
        let planning = request.reservoir.planning, principal = request.principal
        let policy = try planning.capacityPolicy(threshold: try number("threshold"), buffer: try number("buffer"))
        let report = try await planning.offloaded { try $0.capacityPlan(policy: policy, by: principal) }
        return [
            "generatedAt": ConsoleFormat.time(report.generatedAt), "horizon": report.horizonHours,
            "threshold": ConsoleFormat.percent(policy.expansionThreshold * 100), "buffer": ConsoleFormat.percent(policy.buffer * 100),
            "recommendations": report.recommendations.map { r -> [String: any Sendable] in
                [
                    "model": r.model, "action": r.action.rawValue.replacingOccurrences(of: "_", with: " "), "installed": r.installed,
                    "peak": "\(SVG.figure(r.sustainedPeak)) (\(SVG.figure(r.sustainedPeakLower80))–\(SVG.figure(r.sustainedPeakUpper80)))",
                    "utilization": ConsoleFormat.percent(r.peakUtilization * 100), "gpus": "\(r.gpus) (\(r.gpusLower80)–\(r.gpusUpper80))",
                    "neededBy": r.neededByHours.map { ConsoleFormat.time(report.generatedAt + Double($0) * 3600) } ?? "–",
                    "orderBy": r.orderByHours.map { $0 < 0 ? "late by \(ConsoleFormat.duration(-$0 * 3600))" : ConsoleFormat.time(report.generatedAt + $0 * 3600) } ?? "–",
                    "rent": r.rentGPUs > 0 ? "\(r.rentGPUs) GPUs for \(ConsoleFormat.duration(r.rentHours * 3600))" : "–",
                    "cost": SVG.figure(r.purchaseCost + r.rentCost, digits: 2),
                ]
            },
            "skipped": report.skipped.sorted { $0.key < $1.key }.map { ["model": $0.key, "why": $0.value] },
        ]
    }

    private func fulfilment() async throws -> [String: any Sendable] {
        let principal = request.principal
        let (region, model, gpus, durationHours) = (request.query("region"), try required("requestModel", as: "model"), try whole("gpus"), try number("durationHours"))
        let priority = try request.query("priority").map { text throws(ReservoirError) in
            guard let p = PriorityClass(rawValue: text) else { throw ReservoirError.invalid("priority", "must be P0, P1, P2 or P3") }
            return p
        }
        let plan = try await request.reservoir.planning.offloaded {
            try $0.whatIfRequest(region: region, model: model, gpus: gpus, priority: priority, durationHours: durationHours, by: principal)
        }
        return [
            "totalCost": SVG.figure(plan.totalCost, digits: 2), "shortfall": plan.shortfall, "covered": plan.shortfall == 0,
            "preempted": SVG.figure(plan.preemptedGPUHours), "asked": "\(plan.request.gpus) × \(plan.request.model) in \(plan.request.region)",
            "steps": plan.steps.map { s -> [String: any Sendable] in
                [
                    "order": s.order, "kind": s.kind.rawValue.replacingOccurrences(of: "_", with: " "), "source": s.source, "gpus": s.gpus,
                    "at": ConsoleFormat.duration(s.availableAtHours * 3600), "cost": SVG.figure(s.cost, digits: 2), "note": s.note,
                ]
            },
        ]
    }

    private func surge() async throws -> [String: any Sendable] {
        let principal = request.principal
        let (model, factor, fromHour, hours) = (try required("surgeModel", as: "model"), try number("factor"), try whole("fromHour"), try whole("hours"))
        let outcome = try await request.reservoir.planning.offloaded {
            try $0.whatIfSurge(model: model, factor: factor, fromHour: fromHour, hours: hours, by: principal)
        }
        let r = outcome.recommendation
        return [
            "model": r.model, "peakShortfall": SVG.figure(outcome.peakShortfall), "unserved": SVG.figure(outcome.unservedGPUHours),
            "action": r.action.rawValue.replacingOccurrences(of: "_", with: " "), "gpus": r.gpus,
            "rent": r.rentGPUs > 0 ? "\(r.rentGPUs) GPUs for \(ConsoleFormat.duration(r.rentHours * 3600))" : "none",
        ]
    }

    /// A query parameter the question needs, refused under the API's field name when missing.
    private func required(_ name: String, as field: String) throws -> String {
        guard let value = request.query(name) else { throw ReservoirError.invalid(field, "is required") }
        return value
    }

    private func number(_ name: String) throws -> Double? {
        try request.query(name).map { text throws(ReservoirError) in
            guard let value = Double(text), value.isFinite else { throw ReservoirError.invalid(name, "must be a number, not \"\(text)\"") }
            return value
        }
    }

    private func whole(_ name: String) throws -> Int? {
        try request.query(name).map { text throws(ReservoirError) in
            guard let value = Int(text) else { throw ReservoirError.invalid(name, "must be a whole number, not \"\(text)\"") }
            return value
        }
    }
}
