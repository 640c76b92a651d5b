import Hummingbird
import ReservoirCore
import ReservoirServices

/// Grants: list (filters tenant, state, emergency) and show, each with its use and what it preempted.
struct GrantsController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/grants", "Grants, newest first, each with the GPUs its jobs hold, its jobs and what they preempted (filters: tenant, state, emergency)",
                action: .readRequests,
                query: [
                    .id("tenant", "Only grants of this tenant (members: their own)"),
                    QueryParameter("state", .cases(GrantState.self), "Only grants in this state"),
                    QueryParameter("emergency", .boolean, "true: only green-channel grants (every use reported); false: only the others"),
                ],
                answers: .page(of: Components.grantView), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page()
                let grants = try reservoir.grants.grants(
                    tenant: r.query("tenant").map { TenantID($0) }, state: try r.query("state", oneOf: GrantState.self),
                    emergency: try r.query("emergency", as: Bool.self), page: page, by: p)
                return try Coding.page(grants, for: r, page)
            },
            APIRoute(.get, "/v1/grants/{id}", "Show a grant: window, quota, class, engine access, the GPUs its jobs hold, its jobs and what they preempted",
                action: .readRequests, answers: .ok(Components.grantView)
            ) { _, c, p in try Coding.json(try reservoir.grants.grant(GrantID(try c.parameter("id")), by: p)) },
        ]
    }
}
