import Hummingbird
import ReservoirCore
import ReservoirServices

/// `/console/approvals`: the reviewer's inbox — the undecided requests routed to the signed-in user
/// (`GET /v1/requests?routedTo=me&state=under-review`), each with its decision form. `POST /console/approvals/{id}` records a review through `RequestsContext.review`
/// (as `POST /v1/requests/{id}/reviews`): approve, approve with changes (fewer GPUs, a shorter window,
/// another pool or model — what `TermChanges` allows), or reject, always with a reason.
struct ApprovalsPages: ConsolePageGroup {
    static let inbox = ConsolePage(id: "approvals", title: "Approvals", section: .approvals, action: .reviewRequests, navPath: "/console/approvals")
    static let fields: Set<String> = ["decision", "reason", "gpus", "durationHours", "pool", "model"]
    /// Requests read for the inbox (short by nature: one working day's routing).
    static let inboxLimit = 100

    var pages: [ConsolePage] { [Self.inbox] }
    var templates: [String: String] { ["approvals": Self.template, "decision-form": Self.decisionTemplate, "control": FormControl.template] }

    func register(on routes: ConsoleRoutes) {
        routes.get("/console/approvals", Self.inbox) { request in .render(Self.inbox, "approvals", try Self.inboxData(request, failed: nil)) }
        routes.post("/console/approvals/{id}", Self.inbox, fields: Self.fields) { request in
            let id = ReservoirCore.RequestID(try request.parameter("id"))
            do {
                let reply = try request.reservoir.requests.review(id, try Self.review(request.form), by: request.principal)
                return .seeOther("/console/approvals", flash: "Request \(id): \(reply.message)")
            } catch let error as ReservoirError where error.code != .notFound {
                let errors = FieldErrors(error, control: Self.control)
                return .render(Self.inbox, "approvals", try Self.inboxData(request, failed: (id, request.form.all, errors)), status: error.httpStatus)
            }
        }
    }

    /// The review the form says; a change field that is not a number is named.
    static func review(_ form: FormBody) throws -> ReviewInput {
        guard let verdict = ReviewVerdict(rawValue: try form.required("decision")) else {
            throw ReservoirError.invalid("decision", "must be approve, approve-with-changes or reject")
        }
        var problems: [ReservoirError] = []
        var changes = TermChanges(pool: form.value("pool").map { PoolID($0) }, model: form.value("model"))
        do { changes.gpus = try form.int("gpus") } catch let error as ReservoirError { problems.append(error) }
        do { changes.durationHours = try form.double("durationHours") } catch let error as ReservoirError { problems.append(error) }
        try ReservoirError.throwAll(problems)
        return ReviewInput(verdict: verdict, reason: form.value("reason") ?? "", changes: changes.isEmpty ? nil : changes)
    }

    /// `changes.gpus` → `gpus`; `changes` (approve-with-changes without any) → `gpus`, the change most reviewers make.
    static func control(for field: String) -> String? {
        let name = field.hasPrefix("changes.") ? String(field.dropFirst("changes.".count)) : field
        if name == "changes" { return "gpus" }
        return fields.contains(name) ? name : nil
    }

    // MARK: - Inbox

    static func inboxData(_ request: ConsoleRequest, failed: (id: ReservoirCore.RequestID, values: [String: String], errors: FieldErrors)?) throws -> [String: any Sendable] {
        let reservoir = request.reservoir, principal = request.principal
        let waiting = try reservoir.requests.requests(state: .underReview, reviewer: principal.user.id, page: PageRequest(limit: inboxLimit), by: principal).items
        let items = try waiting.map { view -> [String: any Sendable] in
            var item = RequestSummary.row(view)
            let mine = failed?.id == view.request.id
            item["decision"] = try decisionData(request, view, values: mine ? failed?.values ?? [:] : [:], errors: mine ? failed?.errors ?? .none : .none)
            return item
        }
        return ["items": items, "hasItems": !items.isEmpty]
    }

    /// One request's decision form: the verdict, the reason, and the changes the review may make (never more
    /// GPUs or a longer window than asked; pools and models from the inventory).
    static func decisionData(_ request: ConsoleRequest, _ view: RequestView, values: [String: String], errors: FieldErrors) throws -> [String: any Sendable] {
        let asked = view.request.asked
        let inventory = try request.reservoir.inventory.inventory(by: request.principal)
        let models = Set(inventory.nodes.flatMap { $0.devices.filter { $0.kind != .cpu }.map(\.model) }).sorted()
        let suffix = view.request.id.rawValue
        let controls = [
            FormControl(name: "decision", label: "Decision", kind: .select([
                .init("approve", "Approve as asked"), .init("approve-with-changes", "Approve with changes"), .init("reject", "Reject"),
            ]), required: true, idSuffix: suffix),
            FormControl(name: "reason", label: "Reason", kind: .input(type: "text"), hint: "Always required; the applicant reads it.", required: true, idSuffix: suffix),
            FormControl(name: "gpus", label: "GPUs (changes)", kind: .input(type: "number"), hint: "At most the \(asked.gpus) asked.", idSuffix: suffix),
            FormControl(name: "durationHours", label: "Duration in hours (changes)", kind: .input(type: "number"),
                        hint: asked.durationHours.map { "At most the \(SVG.figure($0)) asked." } ?? "Asked: no fixed term.", idSuffix: suffix),
            FormControl(name: "pool", label: "Pool (changes)", kind: .select([.init("", "As asked")] + inventory.pools.map { FormControl.Choice($0.id.rawValue) }), idSuffix: suffix),
            FormControl(name: "model", label: "GPU model (changes)", kind: .select([.init("", "As asked")] + models.map { FormControl.Choice($0) }), idSuffix: suffix),
        ]
        return [
            "request": suffix, "controls": controls.map { $0.data(value: values[$0.name], errors: errors) },
            "formErrors": errors.unplaced, "hasFormErrors": !errors.unplaced.isEmpty,
        ]
    }

    static let decisionTemplate = """
        <form method="post" action="/console/approvals/{{request}}" class="form decision">
        {{> csrf}}
        {{#hasFormErrors}}<div class="form-error" role="alert"><ul>{{#formErrors}}<li>{{.}}</li>{{/formErrors}}</ul></div>{{/hasFormErrors}}
        {{#controls}}{{> control}}{{/controls}}
        <div><button type="submit">Record the decision</button></div>
        </form>
        """

    static let template = """
        {{<layout}}{{$main}}
        <p class="hint">Requests routed to you and waiting for your decision, newest first.</p>
        {{#hasItems}}
        {{#items}}
        <article class="inbox-item" aria-labelledby="item-{{id}}">
        <h2 id="item-{{id}}"><a href="/console/requests/{{id}}">{{id}}</a> · {{tenant}} · {{project}}</h2>
        <dl class="facts">
        <dt>Applicant</dt><dd>{{applicant}}</dd><dt>Category</dt><dd>{{kind}} · {{category}}</dd><dt>Asks</dt><dd>{{asks}}</dd>
        {{#routing}}<dt>Decide by</dt><dd>{{due}}{{#overdue}} <strong class="overdue">overdue</strong>{{/overdue}}</dd><dt>Routed because</dt><dd>{{reason}}</dd>{{/routing}}
        {{#estimate}}<dt>Estimate</dt><dd>{{estimate}}</dd>{{/estimate}}
        {{#verdict}}<dt>Feasibility</dt><dd><strong>{{verdict}}</strong>: {{feasibility}}</dd>{{/verdict}}
        </dl>
        {{#decision}}{{> decision-form}}{{/decision}}
        </article>
        {{/items}}
        {{/hasItems}}
        {{^items}}<p class="empty">Nothing waits for your decision.</p>{{/items}}
        {{/main}}{{/layout}}
        """
}
