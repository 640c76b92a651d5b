import Foundation
import ReservoirCore
import Testing

// MARK: - Reviews of resource requests in the route example catalog

extension RouteExamples {
    /// Only a reviewer the request is routed to may decide it, so no request is reviewable by every
    /// caller the policy allows: the example reviews a request that does not exist (404 for everyone
    /// the policy lets review; 403 first for the others). The real flows are RequestReviewFlowTests.
    static let reviews: [String: RouteExample] = [
        "POST /v1/requests/{id}/reviews": RouteExample(
            valid: fixed(.POST, "/v1/requests/req-999999/reviews", ["verdict": "approve", "reason": "fits the plan"]), status: 404,
            failures: [
                ExampleFailure(403, as: .member, .POST, "/v1/requests/req-999999/reviews", body: json(["verdict": "approve", "reason": "mine"])),
                ExampleFailure(400, .POST, "/v1/requests/req-999999/reviews", body: json(["verdict": "maybe", "reason": "x"])),
                ExampleFailure(400, .POST, "/v1/requests/req-999999/reviews", body: json(["verdict": "approve"])),
                ExampleFailure(400, .POST, "/v1/requests/req-999999/reviews", body: json(["verdict": "approve-with-changes", "reason": "x", "changes": ["gpus": "eight"]])),
                ExampleFailure(400, .POST, "/v1/requests/req-999999/reviews", body: json(["verdict": "approve", "reason": "x", "note": "unknown key"])),
            ]),
    ]
}
