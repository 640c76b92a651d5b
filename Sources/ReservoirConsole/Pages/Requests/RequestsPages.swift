import Hummingbird
import ReservoirCore
import ReservoirServices

/// `/console/requests` (the caller's requests: a member's tenant's, every tenant's for operators and
/// finance; for a reviewer of no tenant, the undecided ones routed to it), `/console/requests/{id}` (the request, its
/// routing, reviews and history; withdraw while undecided) — over `RequestsContext` as
/// `GET /v1/requests` and `POST /v1/requests/{id}/withdraw` use it. The intake form is `RequestIntake`.
struct RequestsPages: ConsolePageGroup {
    static let list = ConsolePage(id: "requests", title: "Requests", section: .requests, action: .readRequests, navPath: "/console/requests")
    static let detail = ConsolePage(id: "request", title: "Request", section: .requests, action: .readRequests)
    static let pageSize = 50

    var pages: [ConsolePage] { [Self.list, Self.detail, RequestIntake.page] }
    var templates: [String: String] {
        [
            "requests": Self.listTemplate, "request": Self.detailTemplate, "control": FormControl.template,
            "request-new": RequestIntake.template, "request-preview": RequestPreview.template, "request-preview-fragment": RequestIntake.fragmentTemplate,
            "decision-form": ApprovalsPages.decisionTemplate,
        ]
    }

    func register(on routes: ConsoleRoutes) {
        RequestIntake.register(on: routes)
        routes.get("/console/requests", Self.list) { request in .render(Self.list, "requests", try Self.listData(request)) }
        routes.get("/console/requests/{id}", Self.detail) { request in
            .render(Self.detail, "request", try Self.detailData(request, ReservoirCore.RequestID(try request.parameter("id"))))
        }
        routes.post("/console/requests/{id}/withdraw", Self.detail, fields: ["reason"]) { request in
            let id = ReservoirCore.RequestID(try request.parameter("id"))
            do {
                _ = try request.reservoir.requests.withdraw(id, reason: request.form.value("reason"), by: request.principal)
                return .seeOther("/console/requests/\(id)", flash: "Request \(id) withdrawn.")
            } catch let error as ReservoirError where error.code != .notFound && error.code != .permissionDenied {
                var data = try Self.detailData(request, id)
                data["withdrawError"] = error.message
                return .render(Self.detail, "request", data, status: error.httpStatus)
            }
        }
    }

    // MARK: - List

    static func listData(_ request: ConsoleRequest) throws -> [String: any Sendable] {
        let reservoir = request.reservoir, principal = request.principal
        let scope = reservoir.runtime.access.scope(principal, .readRequests)
        let state = try request.query("state").map { text in
            guard let parsed = RequestState(rawValue: text) else { throw ReservoirError.invalid("state", "no request state \(text)") }
            return parsed
        }
        let mine = request.query("mine") == "1"
        let tenant = scope == .anyTenant ? request.query("tenant").map { TenantID($0) } : nil
        var page = PageRequest(limit: pageSize)
        if let cursor = request.query("cursor") { page.cursor = try Cursor(parsing: cursor) }
        var data: [String: any Sendable] = ["states": RequestSummary.stateChoices(state?.rawValue), "mine": mine]
        let listed: Page<RequestView>
        if scope == .ownTenant && principal.tenant == nil {
            // A reviewer of no tenant has no tenant's requests; its own are those routed to it.
            data["scopeNote"] = "\(principal.user.id) belongs to no tenant: these are the undecided requests routed to you."
            listed = try reservoir.requests.requests(state: state, reviewer: principal.user.id, page: page, by: principal)
        } else {
            data["scopeNote"] = scope == .anyTenant ? "Every tenant's requests." : "Tenant \(principal.tenant?.rawValue ?? "–")'s requests."
            data["tenantFilter"] = scope == .anyTenant
            data["tenant"] = tenant?.rawValue ?? ""
            data["mineFilter"] = true
            listed = try reservoir.requests.requests(
                tenant: tenant, state: state, applicant: mine ? principal.user.id : nil, page: page, by: principal)
        }
        data["requests"] = listed.items.map(RequestSummary.row)
        data["hasRequests"] = !listed.items.isEmpty
        data["next"] = RequestSummary.nextLink(
            "/console/requests", [("state", state?.rawValue), ("tenant", tenant?.rawValue), ("mine", mine ? "1" : nil)], next: listed.next)
        data["mayRequest"] = RequestIntake.maySubmit(request)
        return data
    }

    // MARK: - Detail

    static func detailData(_ request: ConsoleRequest, _ id: ReservoirCore.RequestID) throws -> [String: any Sendable] {
        let view = try request.reservoir.requests.request(id, by: request.principal)
        let current = view.request
        var data = RequestSummary.row(view)
        data["title"] = "Request \(id)"
        let form = current.form
        let about: [(String, String?)] = [
            ("Department", form.department), ("Project", form.project), ("Contact", form.contact), ("Business goal", form.businessGoal),
            ("Business value", form.businessValue), ("Model", form.training?.modelName ?? form.inference?.modelName),
            ("Starts", form.startsAt.map(ConsoleFormat.time)), ("Emergency", form.emergency.map { "\($0.category ?? "–"): \($0.description ?? "")" }),
        ]
        data["about"] = about.compactMap { label, value in value.map { ["label": label, "value": $0] as [String: any Sendable] } }
        data["reviews"] = current.reviews.map { review -> [String: any Sendable] in
            [
                "reviewer": review.reviewer.rawValue, "verdict": review.verdict.rawValue, "reason": review.reason,
                "changes": review.changes.map(ConsoleTerms.text) ?? "–", "at": ConsoleFormat.time(review.at),
            ]
        }
        data["hasReviews"] = !current.reviews.isEmpty
        data["history"] = current.history.map { step -> [String: any Sendable] in
            ["from": step.from.rawValue, "to": step.to.rawValue, "at": ConsoleFormat.time(step.at), "actor": step.actor, "reason": step.reason]
        }
        let undecided = current.state.awaitsDecision
        data["mayWithdraw"] = undecided && request.reservoir.runtime.access.allows(request.principal, .submitRequests, tenant: current.tenant)
        if undecided, current.routing?.reviewers.contains(request.principal.user.id) == true, request.may(.reviewRequests) {
            data["decision"] = try ApprovalsPages.decisionData(request, view, values: [:], errors: .none)
        }
        return data
    }

    // MARK: - Templates

    static let listTemplate = """
        {{<layout}}{{$main}}
        <p class="hint">{{scopeNote}}</p>
        {{#mayRequest}}<p><a class="button" href="/console/requests/new">New request</a></p>{{/mayRequest}}
        <form method="get" action="/console/requests" class="filters">
        <div class="field"><label for="state">State</label><select id="state" name="state">{{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/states}}</select></div>
        {{#tenantFilter}}<div class="field"><label for="tenant">Tenant</label><input id="tenant" name="tenant" type="text" value="{{tenant}}"></div>{{/tenantFilter}}
        {{#mineFilter}}<div class="field check"><input id="mine" name="mine" type="checkbox" value="1"{{#mine}} checked{{/mine}}><label for="mine">Only mine</label></div>{{/mineFilter}}
        <button type="submit">Filter</button>
        </form>
        {{#hasRequests}}
        <div class="table-wrap"><table id="requests">
        <thead><tr><th scope="col">Request</th><th scope="col">Tenant</th><th scope="col">Applicant</th><th scope="col">Category</th><th scope="col">Asks</th><th scope="col">State</th><th scope="col">Routed to</th><th scope="col">Submitted</th></tr></thead>
        <tbody>
        {{#requests}}<tr><th scope="row"><a href="/console/requests/{{id}}">{{id}}</a></th><td>{{tenant}}</td><td>{{applicant}}</td><td>{{category}}</td><td>{{asks}}</td><td class="state-{{state}}">{{state}}{{#overdue}} <strong class="overdue">overdue</strong>{{/overdue}}</td><td>{{#routing}}{{reviewers}} ({{tier}}), by {{due}}{{/routing}}{{^routing}}–{{/routing}}</td><td>{{submitted}}</td></tr>{{/requests}}
        </tbody>
        </table></div>
        {{/hasRequests}}
        {{^requests}}<p class="empty">No request matches.</p>{{/requests}}
        {{#next}}<p><a href="{{next}}" rel="next">Next page</a></p>{{/next}}
        {{/main}}{{/layout}}
        """

    static let detailTemplate = """
        {{<layout}}{{$main}}
        <dl class="facts">
        <dt>State</dt><dd class="state-{{state}}">{{state}}{{#overdue}} <strong class="overdue">overdue</strong>{{/overdue}}</dd>
        <dt>Tenant</dt><dd>{{tenant}}</dd><dt>Applicant</dt><dd>{{applicant}}</dd>
        <dt>Kind</dt><dd>{{kind}} · {{category}}</dd><dt>Submitted</dt><dd>{{submitted}}</dd>
        <dt>Asks</dt><dd>{{asks}}</dd>
        {{#approved}}<dt>Approved</dt><dd>{{approved}}</dd>{{/approved}}
        {{#grant}}<dt>Grant</dt><dd><a href="/console/grants/{{grant}}">{{grant}}</a></dd>{{/grant}}
        {{#about}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/about}}
        </dl>
        <section aria-labelledby="routing-heading">
        <h2 id="routing-heading">Routing</h2>
        {{#routing}}<dl class="facts"><dt>Who decides</dt><dd>{{reviewers}} ({{tier}}{{#required}}, {{required}} approval(s) needed{{/required}})</dd><dt>Decide by</dt><dd>{{due}}</dd><dt>Why</dt><dd>{{reason}}</dd>{{#escalated}}<dt>Escalated</dt><dd>{{escalated}}</dd>{{/escalated}}</dl>{{/routing}}
        {{^routing}}<p class="empty">Decided at intake: no reviewer.</p>{{/routing}}
        </section>
        <section aria-labelledby="estimate-heading">
        <h2 id="estimate-heading">Estimate and feasibility</h2>
        <p>{{#estimate}}{{estimate}}{{/estimate}}{{^estimate}}No estimate: the form gave too little to estimate.{{/estimate}}</p>
        {{#verdict}}<p class="verdict verdict-{{verdict}}"><strong>{{verdict}}</strong>: {{feasibility}}</p>{{/verdict}}
        </section>
        {{#decision}}<section aria-labelledby="decide-heading"><h2 id="decide-heading">Your decision</h2>{{> decision-form}}</section>{{/decision}}
        <section aria-labelledby="reviews-heading">
        <h2 id="reviews-heading">Reviews</h2>
        {{#hasReviews}}<div class="table-wrap"><table id="reviews">
        <thead><tr><th scope="col">Reviewer</th><th scope="col">Verdict</th><th scope="col">Changes</th><th scope="col">Reason</th><th scope="col">At</th></tr></thead>
        <tbody>{{#reviews}}<tr><th scope="row">{{reviewer}}</th><td>{{verdict}}</td><td>{{changes}}</td><td>{{reason}}</td><td>{{at}}</td></tr>{{/reviews}}</tbody>
        </table></div>{{/hasReviews}}
        {{^reviews}}<p class="empty">No review yet.</p>{{/reviews}}
        </section>
        <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <div class="table-wrap"><table id="history">
        <thead><tr><th scope="col">At</th><th scope="col">From</th><th scope="col">To</th><th scope="col">By</th><th scope="col">Why</th></tr></thead>
        <tbody>{{#history}}<tr><th scope="row">{{at}}</th><td>{{from}}</td><td>{{to}}</td><td>{{actor}}</td><td class="wrap">{{reason}}</td></tr>{{/history}}</tbody>
        </table></div>
        </section>
        {{#mayWithdraw}}
        <section aria-labelledby="withdraw-heading">
        <h2 id="withdraw-heading">Withdraw</h2>
        <form method="post" action="/console/requests/{{id}}/withdraw" class="form">
        {{> csrf}}
        {{#withdrawError}}<p class="form-error" role="alert">{{withdrawError}}</p>{{/withdrawError}}
        <div class="field"><label for="reason">Why (optional)</label><input id="reason" name="reason" type="text"></div>
        <div><button type="submit">Withdraw the request</button></div>
        </form>
        </section>
        {{/mayWithdraw}}
        {{/main}}{{/layout}}
        """
}
