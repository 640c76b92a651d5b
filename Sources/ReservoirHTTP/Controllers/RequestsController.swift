import Hummingbird
import ReservoirCore
import ReservoirServices

/// Resource requests: submit the intake form (JSON or YAML), list, show, withdraw.
struct RequestsController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/requests", "Submit a resource request (the intake form, JSON or YAML): every bad field is named at once; the answer carries the estimate, the feasibility, and either the grant (approved in the same call) or who reviews it by when. A `job` in the body runs under an immediate grant",
                action: .submitRequests, body: .decoded(Components.requestSubmission), query: [.idempotencyKey], answers: .created(Components.requestReply),
                errors: [.forbidden, .notFound, .conflict, .unprocessableContent]
            ) { r, c, p in
                let submission = try await Coding.decode(RequestSubmission.self, from: r, context: c)
                return try Coding.json(try reservoir.requests.submit(submission, idempotencyKey: r.idempotencyKey, by: p), status: .created)
            },
            APIRoute(.get, "/v1/requests", "List resource requests, newest first: the caller's tenant's (operators and finance: every tenant's)", action: .readRequests,
                query: [
                    QueryParameter("state", .cases(RequestState.self), "Only requests in this state"), .id("tenant", "Only requests of this tenant"),
                    .id("applicant", "Only requests of this applicant"),
                    .id("routedTo", "Only undecided requests routed to this reviewer; `me`: the caller (an approver's inbox: approvers see only what is routed to them)"),
                ],
                answers: .page(of: Components.allocationRequest), errors: [.forbidden]
            ) { r, _, p in
                let state = try r.query("state", oneOf: RequestState.self)
                let page = try r.page()
                return try Coding.page(
                    try reservoir.requests.requests(
                        tenant: r.query("tenant").map { TenantID($0) }, state: state, applicant: r.query("applicant").map { UserID($0) },
                        reviewer: r.query("routedTo").map { $0 == "me" ? p.user.id : UserID($0) }, page: page, by: p),
                    for: r, page)
            },
            APIRoute(.get, "/v1/requests/{id}", "Show a resource request: its form, estimate, feasibility, routing, reviews, grant and history", action: .readRequests,
                answers: .ok(Components.allocationRequest)
            ) { _, c, p in try Coding.json(try reservoir.requests.request(RequestID(try c.parameter("id")), by: p)) },
            APIRoute(.post, "/v1/requests/{id}/withdraw", "Withdraw an undecided request (the applicant's team: whoever may submit requests for its tenant)", action: .submitRequests,
                query: [QueryParameter("reason", .text(maxBytes: InputLimits.nameBytes), "Why, for the request's history")],
                answers: .ok(Components.allocationRequest), errors: [.forbidden, .conflict]
            ) { r, c, p in
                try Coding.json(try reservoir.requests.withdraw(RequestID(try c.parameter("id")), reason: r.query("reason"), by: p))
            },
        ]
    }
}
