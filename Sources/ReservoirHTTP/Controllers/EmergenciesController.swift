import Hummingbird
import ReservoirCore
import ReservoirServices

/// The emergency green channel: open it (an emergency approver, one call: request, P0 grant, and a job
/// under it), and the report of every use with what it preempted.
struct EmergenciesController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/emergencies", "Open the green channel (emergency approvers): a request form naming `emergency` (category, incident, description) is approved in the same call as a P0 grant that may use the dynamic reserve and preempt lower classes; a `job` in the body starts under it",
                action: .openEmergency, body: .decoded(Components.requestSubmission), query: [.idempotencyKey], answers: .created(Components.requestReply),
                errors: [.forbidden, .notFound, .conflict, .unprocessableContent]
            ) { r, c, p in
                let submission = try await Coding.decode(RequestSubmission.self, from: r, context: c)
                return try Coding.json(try reservoir.requests.openEmergency(submission, idempotencyKey: r.idempotencyKey, by: p), status: .created)
            },
            APIRoute(.get, "/v1/emergencies", "Every use of the green channel, newest first: each emergency grant with the GPUs its jobs hold, its jobs and what they preempted (filters: tenant, state); the same as GET /v1/grants?emergency=true",
                action: .readRequests,
                query: [.id("tenant", "Only grants of this tenant (members: their own)"), QueryParameter("state", .cases(GrantState.self), "Only grants in this state")],
                answers: .page(of: Components.grantView), errors: [.forbidden]
            ) { r, _, p in
                let page = try r.page()
                let grants = try reservoir.grants.grants(
                    tenant: r.query("tenant").map { TenantID($0) }, state: try r.query("state", oneOf: GrantState.self), emergency: true, page: page, by: p)
                return try Coding.page(grants, for: r, page)
            },
        ]
    }
}
