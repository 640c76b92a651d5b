import Hummingbird
import ReservoirCore
import ReservoirServices

/// `/console/grants` and `/console/grants/{id}`: grants with their lease (window, time left), the notices
/// sent about them, their extensions and the queue waiting for the same capacity — over `GrantsContext`,
/// `LeasesContext` and `NotificationsContext` as `GET /v1/grants`, `GET /v1/grants/{id}/extensions` and
/// `GET /v1/notifications` use them. The grant's forms (`GrantForms`): ask for an extension (the owner's
/// tenant), decide one (operators), return the grant early, take it back by force (operators).
struct GrantsPages: ConsolePageGroup {
    static let list = ConsolePage(id: "grants", title: "Grants", section: .grants, action: .readRequests, navPath: "/console/grants")
    static let detail = ConsolePage(id: "grant", title: "Grant", section: .grants, action: .readRequests)
    static let pageSize = 50
    /// Notices read (newest first) to find a grant's: the latest ones are those about live leases.
    static let noticeScan = 1_000

    var pages: [ConsolePage] { [Self.list, Self.detail] }
    var templates: [String: String] { ["grants": Self.listTemplate, "grant": GrantDetail.template, "control": FormControl.template] }

    func register(on routes: ConsoleRoutes) {
        routes.get("/console/grants", Self.list) { request in .render(Self.list, "grants", try Self.listData(request)) }
        routes.get("/console/grants/{id}", Self.detail) { request in
            .render(Self.detail, "grant", try GrantDetail.data(request, GrantID(try request.parameter("id")), failed: nil))
        }
        GrantForms.register(on: routes)
    }

    static func listData(_ request: ConsoleRequest) throws -> [String: any Sendable] {
        let reservoir = request.reservoir, principal = request.principal
        let scope = reservoir.runtime.access.scope(principal, .readRequests)
        let state = try request.query("state").map { text in
            guard let parsed = GrantState(rawValue: text) else { throw ReservoirError.invalid("state", "no grant state \(text)") }
            return parsed
        }
        let tenant = scope == .anyTenant ? request.query("tenant").map { TenantID($0) } : nil
        var page = PageRequest(limit: pageSize)
        if let cursor = request.query("cursor") { page.cursor = try Cursor(parsing: cursor) }
        let listed = try reservoir.grants.grants(tenant: tenant, state: state, emergency: nil, page: page, by: principal)
        let now = reservoir.now()
        let rows = listed.items.map { view in GrantDetail.row(view.grant, used: view.usedGPUMilli, now: now) }
        var data: [String: any Sendable] = [
            "scopeNote": scope == .anyTenant ? "Every tenant's grants." : "Tenant \(principal.tenant?.rawValue ?? "–")'s grants.",
            "grants": rows, "hasGrants": !rows.isEmpty, "tenantFilter": scope == .anyTenant, "tenant": tenant?.rawValue ?? "",
            "states": [["value": "", "label": "Any state", "selected": state == nil] as [String: any Sendable]]
                + GrantState.allCases.map { ["value": $0.rawValue, "label": $0.rawValue, "selected": $0 == state] as [String: any Sendable] },
        ]
        if let next = RequestSummary.nextLink("/console/grants", [("state", state?.rawValue), ("tenant", tenant?.rawValue)], next: listed.next) {
            data["next"] = next
        }
        return data
    }

    static let listTemplate = """
        {{<layout}}{{$main}}
        <p class="hint">{{scopeNote}}</p>
        <form method="get" action="/console/grants" class="filters">
        <div class="field"><label for="state">State</label><select id="state" name="state">{{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/states}}</select></div>
        {{#tenantFilter}}<div class="field"><label for="tenant">Tenant</label><input id="tenant" name="tenant" type="text" value="{{tenant}}"></div>{{/tenantFilter}}
        <button type="submit">Filter</button>
        </form>
        {{#hasGrants}}
        <div class="table-wrap"><table id="grants">
        <thead><tr><th scope="col">Grant</th><th scope="col">Tenant</th><th scope="col">Request</th><th scope="col">Capacity</th><th scope="col">Class</th><th scope="col">State</th><th scope="col">Ends</th><th scope="col">Time left</th><th scope="col" class="num">GPUs in use</th></tr></thead>
        <tbody>
        {{#grants}}<tr><th scope="row"><a href="/console/grants/{{id}}">{{id}}</a></th><td>{{tenant}}</td><td><a href="/console/requests/{{request}}">{{request}}</a></td><td>{{capacity}}</td><td>{{priority}}</td><td>{{state}}</td><td>{{ends}}</td><td>{{left}}</td><td class="num">{{used}}</td></tr>{{/grants}}
        </tbody>
        </table></div>
        {{/hasGrants}}
        {{^hasGrants}}<p class="empty">No grant to show.</p>{{/hasGrants}}
        {{#next}}<p><a href="{{next}}" rel="next">Next page</a></p>{{/next}}
        {{/main}}{{/layout}}
        """
}
