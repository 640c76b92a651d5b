import ReservoirCore
import ReservoirServices

/// `/console/planning`: one demand forecast with its interval and the recorded forecasts' error (the fast
/// path, always shown), the business events, and — only when asked with their buttons — the full capacity
/// plan and the what-ifs. All GET: the answers are on the page and the URL can be shared.
struct PlanningPages: ConsolePageGroup {
    static let planning = ConsolePage(id: "planning", title: "Planning", section: .planning, action: .readPlans, navPath: "/console/planning")

    var pages: [ConsolePage] { [Self.planning] }
    var templates: [String: String] { ["planning": Self.template, "select-field": SelectField.template] }

    func register(on routes: ConsoleRoutes) {
        // `POST /v1/plans/capacity`: the plan with the configured policy, its forecasts recorded so that the
        // recorded-forecast error on this page can score them as their hours pass.
        routes.post("/console/planning/plans", Self.planning, fields: []) { request in
            let principal = request.principal
            let report = try await request.reservoir.planning.offloaded { try $0.capacityPlan(policy: nil, record: true, by: principal) }
            return .seeOther("/console/planning", flash: "Recorded the forecasts of \(report.recommendations.count) models; their error shows here as their hours pass.")
        }
        routes.get("/console/planning", Self.planning) { request in
            let reservoir = request.reservoir, principal = request.principal
            let inventory = try reservoir.inventory.inventory(by: principal)
            let models = Set(try reservoir.feasibility.waterLevel(by: principal).levels.map(\.model)).sorted()
            let pools = inventory.pools.map(\.id.rawValue).sorted(), regions = inventory.regions.map(\.id.rawValue).sorted()
            let pool = request.query("pool"), model = request.query("model")

            var data = try await PlanningForecast.data(request, pool: pool.map { PoolID($0) }, model: model)
            var questions = PlanningQuestions(request)
            try await questions.answer()
            data.merge(questions.data) { _, answer in answer }
            let events = try await reservoir.planning.offloaded { try $0.businessEvents(by: principal) }
            data["hasEvents"] = !events.isEmpty
            data["events"] = events.map { e -> [String: any Sendable] in
                [
                    "name": e.name, "kind": e.kind.rawValue.replacingOccurrences(of: "_", with: " "),
                    "from": ConsoleFormat.time(e.start), "until": ConsoleFormat.time(e.end),
                    "effect": [e.uplift.map { "+\(SVG.figure($0 * 100)) %" }, e.extraGPUs.map { "+\(SVG.figure($0)) GPUs" }].compactMap { $0 }.joined(separator: ", "),
                    "scope": (e.pools.map(\.rawValue) + e.models).joined(separator: ", ").nonEmpty ?? "everything",
                ]
            }
            data["chooser"] = [
                SelectField("pool", label: "Pool", values: pools, chosen: pool, any: "All pools"),
                SelectField("model", label: "GPU model", values: models, chosen: model, any: "All models"),
            ]
            data["keep"] = [["name": "pool", "value": pool ?? ""], ["name": "model", "value": model ?? ""]]
            let query = { (name: String) in request.query(name) }
            let policy = try reservoir.planning.capacityPolicy(threshold: nil, buffer: nil)
            data["planFields"] = [
                FormField("threshold", label: "Expansion threshold", value: query("threshold") ?? SVG.figure(policy.expansionThreshold, digits: 2), hint: "sustained utilization that calls for more GPUs, 0.6 to 0.8", error: questions.error(for: "plan")),
                FormField("buffer", label: "Buffer", value: query("buffer") ?? SVG.figure(policy.buffer, digits: 2), hint: "head-room bought on top, 0.05 to 0.2", error: questions.error(for: "plan")),
            ]
            let requestError = questions.error(for: "request"), surgeError = questions.error(for: "surge")
            data["requestSelects"] = [
                SelectField("requestModel", label: "GPU model", values: models, chosen: query("requestModel"), error: requestError),
                SelectField("region", label: "Region", values: regions, chosen: query("region"), error: requestError),
                SelectField("priority", label: "Priority class", values: PriorityClass.allCases.map(\.rawValue), chosen: query("priority") ?? PriorityClass.p1.rawValue, error: requestError),
            ]
            data["requestFields"] = [
                FormField("gpus", label: "GPUs", type: "number", value: query("gpus"), required: true, error: requestError),
                FormField("durationHours", label: "For how many hours", value: query("durationHours"), hint: "default \(Int(PlanningContext.defaultRequestHours)) (30 days)", error: requestError),
            ]
            data["surgeSelects"] = [SelectField("surgeModel", label: "GPU model", values: models, chosen: query("surgeModel"), error: surgeError)]
            let defaults = PlanningContext.surgeDefaults
            data["surgeFields"] = [
                FormField("factor", label: "Demand × factor", value: query("factor") ?? SVG.figure(defaults.factor), error: surgeError),
                FormField("fromHour", label: "From hour (from now)", type: "number", value: query("fromHour") ?? "\(defaults.fromHour)", error: surgeError),
                FormField("hours", label: "For hours", type: "number", value: query("hours") ?? "\(defaults.hours)", error: surgeError),
            ]
            return .render(Self.planning, "planning", data, status: questions.error?.httpStatus ?? .ok)
        }
    }
}

extension String {
    /// Nil for the empty string (to fall back to a word that says "none").
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
