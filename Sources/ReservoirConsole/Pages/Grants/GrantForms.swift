import Hummingbird
import ReservoirCore
import ReservoirServices

/// The forms of a grant's page, each a thin shell over the use case its API route calls:
/// - `POST /console/grants/{id}/extensions` (`days`, `reason`): `LeasesContext.requestExtension`;
/// - `POST /console/grants/{id}/extensions/{n}` (`verdict`, `reason`): `LeasesContext.decideExtension`;
/// - `POST /console/grants/{id}/return` (`reason`): `ReclamationsContext.returnGrant`;
/// - `POST /console/grants/{id}/reclaim` (`approval`, `reason`): `ReclamationsContext.forceReclaim`.
/// Each answers 303 back to the grant with a flash, or the page again with the errors at the form's fields.
enum GrantForms {
    static func register(on routes: ConsoleRoutes) {
        let page = GrantsPages.detail
        routes.post("/console/grants/{id}/extensions", page, fields: ["days", "reason"]) { request in
            try await answer(request, form: "extend") { id in
                guard let days = try request.form.double("days") else { throw ReservoirError.invalid("days", "is required: how many days more") }
                let view = try request.reservoir.leases.requestExtension(id, ExtensionInput(days: days, reason: request.form.value("reason") ?? ""), by: request.principal)
                return "Extension \(view.extensions.last?.number ?? 0) of grant \(id) asked: operators decide."
            }
        }
        routes.post("/console/grants/{id}/extensions/{n}", page, fields: ["verdict", "reason"]) { request in
            guard let number = Int(try request.parameter("n")) else { throw ReservoirError.notFound("n", "no such extension") }
            return try await answer(request, form: "decide-\(number)") { id in
                guard let verdict = ExtensionVerdict(rawValue: try request.form.required("verdict")) else {
                    throw ReservoirError.invalid("verdict", "must be approve or refuse")
                }
                let view = try request.reservoir.leases.decideExtension(
                    id, number: number, ExtensionDecision(verdict: verdict, reason: request.form.value("reason") ?? ""), by: request.principal)
                return "Extension \(number) of grant \(id) \(verdict == .approve ? "approved" : "refused"); it ends \(view.endsAt.map(ConsoleFormat.time) ?? "with no fixed term")."
            }
        }
        routes.post("/console/grants/{id}/return", page, fields: ["reason"]) { request in
            try await answer(request, form: "return") { id in
                let record = try request.reservoir.reclamations.returnGrant(id, reason: request.form.value("reason"), by: request.principal)
                return "Grant \(id) returned: \(SVG.figure(record.freedGPUHours)) GPU-hours given back."
            }
        }
        routes.post("/console/grants/{id}/reclaim", page, fields: ["approval", "reason"]) { request in
            try await answer(request, form: "reclaim") { id in
                let record = try request.reservoir.reclamations.forceReclaim(
                    id, approval: request.form.value("approval") ?? "", reason: request.form.value("reason") ?? "", by: request.principal)
                return "Grant \(id) reclaimed (approval \(record.approvedBy ?? "–")): \(SVG.figure(record.freedGPUHours)) GPU-hours freed."
            }
        }
    }

    /// Runs `act` for the grant of the path: 303 to its page with the flash `act` returns, or the page
    /// again with the refusal at `form`'s fields. A grant the caller may not see stays a 404 page.
    private static func answer(_ request: ConsoleRequest, form: String, _ act: (GrantID) async throws -> String) async throws -> ConsoleReply {
        let id = GrantID(try request.parameter("id"))
        do {
            return .seeOther("/console/grants/\(id)", flash: try await act(id))
        } catch let error as ReservoirError where error.code != .notFound || error.field != "id" {
            let fields: Set<String> = ["days", "reason", "verdict", "approval"]
            let errors = FieldErrors(error) { fields.contains($0) ? $0 : nil }
            let failed = GrantDetail.Failed(form: form, values: request.form.all, errors: errors, message: errors.unplaced.isEmpty ? nil : errors.unplaced.joined(separator: "; "))
            return .render(GrantsPages.detail, "grant", try GrantDetail.data(request, id, failed: failed), status: error.httpStatus)
        }
    }

    /// A form's controls with what was typed and its errors when it is the one refused.
    private static func formData(_ name: String, _ controls: [FormControl], failed: GrantDetail.Failed?) -> [String: any Sendable] {
        let mine = failed?.form == name
        var data: [String: any Sendable] = [
            "controls": controls.map { control -> [String: any Sendable] in
                var control = control
                control.idSuffix = name
                return control.data(value: mine ? failed?.values[control.name] : nil, errors: mine ? failed?.errors ?? .none : .none)
            },
        ]
        if mine, let message = failed?.message { data["message"] = message }
        return data
    }

    static func extendData(failed: GrantDetail.Failed?) -> [String: any Sendable] {
        formData("extend", [
            FormControl(name: "days", label: "Days more", kind: .input(type: "number"), required: true),
            FormControl(name: "reason", label: "Why", kind: .input(type: "text"), hint: "Operators judge it against the queue below.", required: true),
        ], failed: failed)
    }

    static func decideData(_ grant: GrantID, number: Int, failed: GrantDetail.Failed?) -> [String: any Sendable] {
        formData("decide-\(number)", [
            FormControl(name: "verdict", label: "Decision", kind: .select([.init("approve", "Approve: the end moves"), .init("refuse", "Refuse")]), required: true),
            FormControl(name: "reason", label: "Reason", kind: .input(type: "text"), hint: "The owner is told.", required: true),
        ], failed: failed)
    }

    static func returnData(failed: GrantDetail.Failed?) -> [String: any Sendable] {
        formData("return", [
            FormControl(name: "reason", label: "Why (optional)", kind: .input(type: "text"),
                        hint: "Its jobs stop (running ones after their checkpoint grace); the hours given up are credited."),
        ], failed: failed)
    }

    static func reclaimData(failed: GrantDetail.Failed?) -> [String: any Sendable] {
        formData("reclaim", [
            FormControl(name: "approval", label: "Approval record", kind: .input(type: "text"), hint: "e.g. the ticket that approved it; required.", required: true),
            FormControl(name: "reason", label: "Reason", kind: .input(type: "text"), required: true),
        ], failed: failed)
    }
}
