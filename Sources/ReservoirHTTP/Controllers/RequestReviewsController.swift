import Hummingbird
import ReservoirCore
import ReservoirServices

/// Reviews of resource requests: a reviewer the request is routed to approves (as asked or with
/// changed terms) or rejects it, with a reason; an approval that decides answers with the grant.
struct RequestReviewsController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/requests/{id}/reviews", "Review a request routed to you: approve, approve with changes (fewer GPUs, another model or pool, a shorter window) or reject, with a reason. A deciding approval answers with the grant; a committee approval short of the count is recorded and waits",
                action: .reviewRequests, body: .decoded(Components.reviewInput), answers: .ok(Components.requestReply), errors: [.forbidden, .conflict]
            ) { r, c, p in
                let input = try await Coding.decode(ReviewInput.self, from: r, context: c)
                return try Coding.json(try reservoir.requests.review(RequestID(try c.parameter("id")), input, by: p))
            },
        ]
    }
}
