import ReservoirCore
import ReservoirServices

/// `/console/audit`: the audit log, newest first, filtered by actor, action, object and time (GET query
/// parameters) and paged by the store's keyset cursor ("Next page" carries the filters). Read through
/// `AuditContext.auditLog` with the signed-in principal: a member sees only their tenant's entries.
struct AuditPages: ConsolePageGroup {
    static let audit = ConsolePage(id: "audit", title: "Audit log", section: .audit, action: .readAudit, navPath: "/console/audit")

    /// Entries per page.
    static let pageSize = 50
    /// Characters of a change's JSON shown in the table (the API has the whole entry).
    static let changeShown = 160

    var pages: [ConsolePage] { [Self.audit] }
    var templates: [String: String] { ["audit": Self.template] }

    func register(on routes: ConsoleRoutes) {
        routes.get("/console/audit", Self.audit) { request in
            let filter: AuditFilter
            do {
                filter = try AuditFilter(request)
            } catch let error as ReservoirError where error.field.map((AuditFilter.textFields + AuditFilter.timeFields).contains) == true {
                return .render(Self.audit, "audit", ["fields": Self.fields(request, error: error)], status: error.httpStatus)
            }
            let page = try PageRequest(limitParameter: nil, cursorParameter: request.query("cursor"), defaultLimit: Self.pageSize)
            let entries = try request.reservoir.audit.auditLog(filter.filter, page: page, by: request.principal)
            var data: [String: any Sendable] = ["fields": Self.fields(request, error: nil), "listed": true]
            data["entries"] = entries.items.map { entry -> [String: any Sendable] in
                [
                    "at": ConsoleFormat.time(entry.at), "actor": entry.actor, "action": entry.action, "object": entry.object,
                    "tenant": entry.tenant ?? "–", "change": Self.change(entry),
                    "actorLink": "/console/audit?" + AuditFilter.link(["actor": entry.actor]),
                    "objectLink": "/console/audit?" + AuditFilter.link(["object": entry.object]),
                ]
            }
            data["hasEntries"] = !entries.items.isEmpty
            data["filtered"] = !filter.typed.isEmpty
            if let next = entries.next { data["next"] = "/console/audit?" + filter.query(["cursor": next.description]) }
            if page.cursor != nil { data["first"] = "/console/audit?" + filter.query() }
            return .render(Self.audit, "audit", data)
        }
    }

    static func fields(_ request: ConsoleRequest, error: ReservoirError?) -> [FormField] {
        [
            FormField("actor", label: "Actor", value: request.query("actor"), hint: "as written in the log, e.g. user:alice", error: error),
            FormField("action", label: "Action", value: request.query("action"), hint: "one action (grant.extend) or a family (grant)", error: error),
            FormField("object", label: "Object", value: request.query("object"), hint: "the object and its children, e.g. jobs/job-000042", error: error),
            FormField("since", label: "Since (UTC)", value: request.query("since"), hint: "2026-12-05, 2026-12-05T14:00 or Unix seconds", error: error),
            FormField("until", label: "Until (UTC)", value: request.query("until"), hint: "before then; same forms", error: error),
        ]
    }

    /// What the entry changed, short: `before → after` (JSON), cut to `changeShown` characters.
    static func change(_ entry: AuditEntry) -> String {
        let text = [entry.before, entry.after].compactMap { $0 }.joined(separator: " → ")
        return text.count > changeShown ? String(text.prefix(changeShown)) + "…" : text
    }

    static let template = """
        {{<layout}}{{$main}}
        <form method="get" action="/console/audit" class="filters" id="audit-filter">
        {{#fields}}{{> field}}{{/fields}}
        <button type="submit">Filter</button>
        </form>
        {{#listed}}
        <section aria-labelledby="entries-heading">
        <h2 id="entries-heading">Entries, newest first</h2>
        {{#filtered}}<p class="hint"><a href="/console/audit">Clear the filters</a></p>{{/filtered}}
        {{#hasEntries}}
        <div class="table-wrap"><table id="audit-entries">
        <thead><tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Object</th><th scope="col">Tenant</th><th scope="col">Change</th></tr></thead>
        <tbody>
        {{#entries}}<tr><th scope="row">{{at}}</th><td><a href="{{actorLink}}">{{actor}}</a></td><td>{{action}}</td><td><a href="{{objectLink}}">{{object}}</a></td><td>{{tenant}}</td><td><code>{{change}}</code></td></tr>{{/entries}}
        </tbody>
        </table></div>
        {{/hasEntries}}
        {{^hasEntries}}<p class="empty">No entry matches.</p>{{/hasEntries}}
        <nav aria-label="Pages" class="pager">{{#first}}<a href="{{first}}">First page</a> {{/first}}{{#next}}<a href="{{next}}" rel="next">Next page</a>{{/next}}</nav>
        </section>
        {{/listed}}
        {{/main}}{{/layout}}
        """
}
