import Hummingbird
import ReservoirCore
import ReservoirServices

/// `/console/reclamation`: idle inference services (`GET /v1/reclamation/candidates`) with the step of
/// their confirmation each role may take as a form — operators ask the owner, the owner answers keep or
/// release, operators shrink or reclaim once allowed (`IdleServicesContext`) — and a month's reclamation
/// records (`GET /v1/reclamations`; this month by default), which include the idle interactive jobs the
/// idle pass stopped (`IdleAllocationsContext` works unattended: its notices go to the job's owner).
struct ReclamationPages: ConsolePageGroup {
    static let page = ConsolePage(id: "reclamation", title: "Reclamation", section: .reclamation, action: .readReclamations, navPath: "/console/reclamation")
    static let pageSize = 50

    var pages: [ConsolePage] { [Self.page] }
    var templates: [String: String] { ["reclamation": Self.template, "control": FormControl.template] }

    func register(on routes: ConsoleRoutes) {
        routes.get("/console/reclamation", Self.page) { request in .render(Self.page, "reclamation", try Self.data(request, failed: nil)) }
        routes.post("/console/reclamation/services/{id}/confirm", Self.page, fields: []) { request in
            try await Self.answer(request, form: "confirm") { id in
                let candidate = try request.reservoir.idleServices.confirm(id, by: request.principal)
                return "The owner of \(id) was asked; the answer is due by \(ConsoleFormat.time(candidate.confirmation?.deadline ?? 0))."
            }
        }
        routes.post("/console/reclamation/services/{id}/answer", Self.page, fields: ["answer", "reason"]) { request in
            try await Self.answer(request, form: "answer") { id in
                guard let answer = IdleConfirmation.Answer(rawValue: try request.form.required("answer")) else {
                    throw ReservoirError.invalid("answer", "must be keep or release")
                }
                _ = try request.reservoir.idleServices.answer(id, answer, reason: request.form.value("reason") ?? "", by: request.principal)
                return "Answered \(answer.rawValue) for \(id)."
            }
        }
        routes.post("/console/reclamation/services/{id}/reclaim", Self.page, fields: ["replicas", "reason"]) { request in
            try await Self.answer(request, form: "reclaim") { id in
                guard let replicas = try request.form.int("replicas") else { throw ReservoirError.invalid("replicas", "is required: 0 reclaims every replica") }
                let record = try await request.reservoir.idleServices.reclaim(id, replicas: replicas, reason: request.form.value("reason") ?? "", by: request.principal)
                return "\(id): \(record.note)"
            }
        }
    }

    /// A refused form of the page: which service and step, what was typed, the errors.
    struct Failed {
        var service: ServiceID
        var form: String
        var values: [String: String]
        var errors: FieldErrors
    }

    private static func answer(_ request: ConsoleRequest, form: String, _ act: (ServiceID) async throws -> String) async throws -> ConsoleReply {
        let id = ServiceID(try request.parameter("id"))
        do {
            return .seeOther("/console/reclamation", flash: try await act(id))
        } catch let error as ReservoirError where error.code != .notFound {
            let errors = FieldErrors(error) { ["answer", "reason", "replicas"].contains($0) ? $0 : nil }
            return .render(Self.page, "reclamation", try data(request, failed: Failed(service: id, form: form, values: request.form.all, errors: errors)), status: error.httpStatus)
        }
    }

    static func data(_ request: ConsoleRequest, failed: Failed?) throws -> [String: any Sendable] {
        let reservoir = request.reservoir, principal = request.principal
        let scope = reservoir.runtime.access.scope(principal, .readReclamations)
        let tenant = scope == .anyTenant ? request.query("tenant").map { TenantID($0) } : nil
        let month = try request.query("month").map { text throws(ReservoirError) in try ReportMonth(text) } ?? ReportMonth(containing: reservoir.now())
        let reason = try request.query("reason").map { text in
            guard let parsed = ReclamationReason(rawValue: text) else { throw ReservoirError.invalid("reason", "no reclamation reason \(text)") }
            return parsed
        }
        var page = PageRequest(limit: pageSize)
        if let cursor = request.query("cursor") { page.cursor = try Cursor(parsing: cursor) }
        let now = reservoir.now()
        let candidates = try Page.all { try reservoir.idleServices.candidates(tenant: tenant, page: $0, by: principal) }
        let records = try reservoir.reclamations.reclamations(month: month, tenant: tenant, reason: reason, page: page, by: principal)
        let access = reservoir.runtime.access
        var data: [String: any Sendable] = [
            "scopeNote": scope == .anyTenant ? "Every tenant's." : "Tenant \(principal.tenant?.rawValue ?? "–")'s.",
            "month": month.description, "tenantFilter": scope == .anyTenant, "tenant": tenant?.rawValue ?? "",
            "reasons": [["value": "", "label": "Any reason", "selected": reason == nil] as [String: any Sendable]]
                + ReclamationReason.allCases.map { ["value": $0.rawValue, "label": $0.rawValue, "selected": $0 == reason] as [String: any Sendable] },
            "candidates": candidates.map { candidate -> [String: any Sendable] in
                candidateRow(candidate, now: now, access: access, principal: principal, failed: failed?.service == candidate.service ? failed : nil)
            },
            "hasCandidates": !candidates.isEmpty,
            "records": records.items.map { record -> [String: any Sendable] in
                [
                    "at": ConsoleFormat.time(record.at), "kind": record.kind.rawValue, "object": record.object, "reason": record.reason.rawValue,
                    "tenant": record.tenant.rawValue, "gpus": ConsoleTerms.gpus(record.gpuMilli), "freed": SVG.figure(record.freedGPUHours),
                    "actor": record.actor, "approvedBy": record.approvedBy ?? "–", "note": record.note, "isGrant": record.kind == .grant,
                ]
            },
            "hasRecords": !records.items.isEmpty,
            "freedTotal": SVG.figure(records.items.reduce(0) { $0 + $1.freedGPUHours }),
        ]
        if let next = RequestSummary.nextLink(
            "/console/reclamation", [("month", month.description), ("reason", reason?.rawValue), ("tenant", tenant?.rawValue)], next: records.next) {
            data["next"] = next
        }
        return data
    }

    /// One idle service with the form of the step the caller may take now (if any).
    static func candidateRow(
        _ candidate: IdleServiceCandidate, now: Double, access: AccessPolicy, principal: Principal, failed: Failed?
    ) -> [String: any Sendable] {
        var row: [String: any Sendable] = [
            "service": candidate.service.rawValue, "tenant": candidate.tenant.rawValue, "pool": candidate.pool.rawValue, "model": candidate.model,
            "replicas": candidate.replicas, "gpus": ConsoleTerms.gpus(candidate.gpuMilli), "stage": candidate.stage, "summary": candidate.summary,
        ]
        if let confirmation = candidate.confirmation {
            row["confirmation"] = "asked \(ConsoleFormat.time(confirmation.askedAt)) by \(confirmation.askedBy), due \(ConsoleFormat.time(confirmation.deadline))"
                + (confirmation.answer.map { "; answered \($0.rawValue) by \(confirmation.answeredBy ?? "–"): \(confirmation.answerReason ?? "")" } ?? "")
        }
        func form(_ name: String, _ action: String, _ button: String, _ controls: [FormControl]) -> [String: any Sendable] {
            let mine = failed?.form == name
            let errors = mine ? failed?.errors ?? .none : .none
            var data: [String: any Sendable] = [
                "action": "/console/reclamation/services/\(candidate.service)/\(action)", "button": button,
                "controls": controls.map { control -> [String: any Sendable] in
                    var control = control
                    control.idSuffix = "\(name)-\(candidate.service)"
                    return control.data(value: mine ? failed?.values[control.name] : nil, errors: errors)
                },
            ]
            if mine, !errors.unplaced.isEmpty { data["message"] = errors.unplaced.joined(separator: "; ") }
            return data
        }
        let manages = access.allows(principal, .reclaim, tenant: candidate.tenant)
        var forms: [[String: any Sendable]] = []
        switch candidate.confirmation {
        case nil where manages:
            forms.append(form("confirm", "confirm", "Ask the owner to confirm", []))
        case let open? where open.answer == nil && now < open.deadline && access.allows(principal, .holdGrants, tenant: candidate.tenant):
            forms.append(form("answer", "answer", "Send the answer", [
                FormControl(name: "answer", label: "Answer", kind: .select([.init("keep", "Keep it"), .init("release", "Release it")]), required: true),
                FormControl(name: "reason", label: "Why", kind: .input(type: "text"), required: true),
            ]))
        default:
            break
        }
        if let open = candidate.confirmation, open.allowsReclamation(at: now), manages {
            forms.append(form("reclaim", "reclaim", "Shrink or reclaim", [
                FormControl(name: "replicas", label: "Replicas to keep", kind: .input(type: "number"), hint: "0 reclaims every replica; fewer than \(candidate.replicas).", required: true),
                FormControl(name: "reason", label: "Reason", kind: .input(type: "text"), required: true),
            ]))
        }
        row["forms"] = forms
        return row
    }

    static let template = """
        {{<layout}}{{$main}}
        <p class="hint">{{scopeNote}}</p>
        <section aria-labelledby="idle-heading">
        <h2 id="idle-heading">Idle services</h2>
        {{#hasCandidates}}
        {{#candidates}}
        <article class="candidate">
        <h3><a href="/console/services/{{service}}">{{service}}</a> · {{tenant}} · {{stage}}</h3>
        <dl class="facts"><dt>Holds</dt><dd>{{replicas}} replica(s), {{gpus}} × {{model}} on {{pool}}</dd><dt>Finding</dt><dd>{{summary}}</dd>{{#confirmation}}<dt>Confirmation</dt><dd>{{confirmation}}</dd>{{/confirmation}}</dl>
        {{#forms}}
        <form method="post" action="{{action}}" class="form">
        {{> csrf}}
        {{#message}}<p class="form-error" role="alert">{{message}}</p>{{/message}}
        {{#controls}}{{> control}}{{/controls}}
        <div><button type="submit">{{button}}</button></div>
        </form>
        {{/forms}}
        </article>
        {{/candidates}}
        {{/hasCandidates}}
        {{^hasCandidates}}<p class="empty">No service is idle over the window, and no confirmation is open.</p>{{/hasCandidates}}
        </section>
        <section aria-labelledby="records-heading">
        <h2 id="records-heading">Reclamations of {{month}}</h2>
        <form method="get" action="/console/reclamation" class="filters">
        <div class="field"><label for="month">Month</label><input id="month" name="month" type="month" value="{{month}}"></div>
        <div class="field"><label for="reason-filter">Reason</label><select id="reason-filter" name="reason">{{#reasons}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/reasons}}</select></div>
        {{#tenantFilter}}<div class="field"><label for="tenant">Tenant</label><input id="tenant" name="tenant" type="text" value="{{tenant}}"></div>{{/tenantFilter}}
        <button type="submit">Show</button>
        </form>
        {{#hasRecords}}
        <p>{{freedTotal}} GPU-hours freed on this page.</p>
        <div class="table-wrap"><table id="reclamations">
        <thead><tr><th scope="col">At</th><th scope="col">What</th><th scope="col">Reason</th><th scope="col">Tenant</th><th scope="col" class="num">GPUs</th><th scope="col" class="num">GPU-hours freed</th><th scope="col">By</th><th scope="col">Approved by</th><th scope="col">Note</th></tr></thead>
        <tbody>{{#records}}<tr><th scope="row">{{at}}</th><td>{{kind}} {{#isGrant}}<a href="/console/grants/{{object}}">{{object}}</a>{{/isGrant}}{{^isGrant}}{{object}}{{/isGrant}}</td><td>{{reason}}</td><td>{{tenant}}</td><td class="num">{{gpus}}</td><td class="num">{{freed}}</td><td>{{actor}}</td><td>{{approvedBy}}</td><td class="wrap">{{note}}</td></tr>{{/records}}</tbody>
        </table></div>
        {{/hasRecords}}
        {{^hasRecords}}<p class="empty">Nothing was reclaimed in {{month}}.</p>{{/hasRecords}}
        {{#next}}<p><a href="{{next}}" rel="next">Next page</a></p>{{/next}}
        </section>
        {{/main}}{{/layout}}
        """
}
