import Hummingbird
import ReservoirCore
import ReservoirServices

/// `/console/requests/new`: the intake form (SPEC §5.1) with the estimator and the feasibility check
/// beside it. `POST /console/requests` submits it through `RequestsContext.submit` (as `POST /v1/requests`)
/// and answers 303 to the request's page; a refused form comes back with every error next to its field.
/// The "Estimate" button posts the same form with `intent=estimate` and gets it back with the answer
/// (no script needed); with the script, `GET /console/requests/new/estimate?…` answers as one types.
enum RequestIntake {
    static let page = ConsolePage(id: "new-request", title: "New request", section: .requests, action: .submitRequests)

    static func register(on routes: ConsoleRoutes) {
        routes.get("/console/requests/new", page) { request in
            .render(page, "request-new", try formData(request, values: RequestFormInput(values: ["kind": "training"]), errors: .none, preview: nil))
        }
        routes.get("/console/requests/new/estimate", page) { request in
            let values = Dictionary(request.request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { a, _ in a })
                .filter { RequestFormInput.fields.contains($0.key) }
            return .render(page, "request-preview-fragment", ["preview": RequestPreview.build(RequestFormInput(values: values), request)])
        }
        routes.post("/console/requests", page, fields: RequestFormInput.fields) { request in
            let input = RequestFormInput(values: request.form.all)
            if input.value("intent") == "estimate" {
                return .render(page, "request-new", try formData(request, values: input, errors: .none, preview: RequestPreview.build(input, request)))
            }
            do {
                let reply = try request.reservoir.requests.submit(RequestSubmission(form: try input.requestForm()), by: request.principal)
                return .seeOther("/console/requests/\(reply.request.request.id)", flash: "Request \(reply.request.request.id) submitted: \(reply.message)")
            } catch let error as ReservoirError where error.field != nil || error.code == .invalidArgument || error.code == .conflict {
                let errors = FieldErrors(error, control: RequestFormInput.control)
                return .render(page, "request-new", try formData(request, values: input, errors: errors, preview: nil), status: error.httpStatus)
            }
        }
    }

    /// Whether the caller may fill in the form at all: it may submit requests, for its own tenant or any.
    static func maySubmit(_ request: ConsoleRequest) -> Bool {
        let scope = request.reservoir.runtime.access.scope(request.principal, .submitRequests)
        return scope == .anyTenant || (scope == .ownTenant && request.principal.tenant != nil)
    }

    static func formData(_ request: ConsoleRequest, values: RequestFormInput, errors: FieldErrors, preview: [String: any Sendable]?) throws -> [String: any Sendable] {
        let reservoir = request.reservoir, principal = request.principal
        let inventory = try reservoir.inventory.inventory(by: principal)
        let models = Set(inventory.nodes.flatMap { $0.devices.filter { $0.kind != .cpu }.map(\.model) }).sorted()
        // A caller who may submit for any tenant names one; everyone else submits for its own.
        var tenants: [TenantID]?
        if reservoir.runtime.access.scope(principal, .submitRequests) == .anyTenant {
            tenants = try Page.all { try reservoir.tenancy.listTenants(page: $0, by: principal) }.filter { !$0.isDisabled }.map(\.id)
        }
        let groups = RequestFormInput.groups(tenants: tenants, pools: inventory.pools.map(\.id).sorted { $0.rawValue < $1.rawValue }, models: models)
        var data: [String: any Sendable] = [
            "groups": groups.map { group -> [String: any Sendable] in
                ["legend": group.legend, "controls": group.controls.map { $0.data(value: values.values[$0.name], errors: errors) }]
            },
            "formErrors": errors.unplaced, "hasFormErrors": !errors.unplaced.isEmpty,
        ]
        if tenants == nil { data["tenantNote"] = "For tenant \(principal.tenant?.rawValue ?? "–")." }
        if let preview { data["preview"] = preview }
        return data
    }

    static let template = """
        {{<layout}}{{$main}}
        {{#tenantNote}}<p class="hint">{{tenantNote}}</p>{{/tenantNote}}
        <div class="intake">
        <form method="post" action="/console/requests" class="form" id="request-form" novalidate>
        {{> csrf}}
        {{#hasFormErrors}}<div class="form-error" role="alert"><p>The request was not submitted:</p><ul>{{#formErrors}}<li>{{.}}</li>{{/formErrors}}</ul></div>{{/hasFormErrors}}
        {{#groups}}<fieldset><legend>{{legend}}</legend>{{#controls}}{{> control}}{{/controls}}</fieldset>{{/groups}}
        <div class="actions"><button type="submit" name="intent" value="submit" id="submit-request">Submit request</button> <button type="submit" name="intent" value="estimate" class="secondary">Estimate</button></div>
        <section class="estimate-panel" aria-labelledby="answer-heading">
        <h2 id="answer-heading">Estimate and feasibility</h2>
        <p class="hint">Answers as you type (or press Estimate).</p>
        <div data-estimate data-estimate-src="/console/requests/new/estimate" aria-live="polite">{{#preview}}{{> request-preview}}{{/preview}}</div>
        </section>
        </form>
        </div>
        {{/main}}{{/layout}}
        """

    /// The fragment the script fetches: the answer alone, no layout.
    static let fragmentTemplate = "{{#preview}}{{> request-preview}}{{/preview}}"
}
