import Foundation
import ReservoirCore
import Testing

// MARK: - Water level and feasibility in the route example catalog

extension RouteExamples {
    static let feasibility: [String: RouteExample] = [
        "GET /v1/water-level": RouteExample(
            valid: fixed(.GET, "/v1/water-level?pool=p1&model=A100-80GB"), status: 200,
            failures: [
                ExampleFailure(404, .GET, "/v1/water-level?pool=nope"),
                ExampleFailure(400, .GET, "/v1/water-level?model=Z9"),
                ExampleFailure(403, as: Caller(.agent), .GET, "/v1/water-level"),
            ]),
        "POST /v1/feasibility": RouteExample(
            valid: { _, tenant in request(.POST, "/v1/feasibility", ["tenant": tenant, "category": "L2", "pool": "p1", "model": "A100-80GB", "gpus": 2, "durationHours": 24]) },
            status: 200,
            failures: [
                ExampleFailure(400, .POST, "/v1/feasibility", body: json(["tenant": "alpha", "category": "L9", "gpus": 0, "model": "Z9"])),
                ExampleFailure(400, .POST, "/v1/feasibility", body: json(["tenant": "alpha", "category": "L2", "gpus": 2, "pool": "nope", "durationHours": -1])),
                ExampleFailure(403, as: .member, .POST, "/v1/feasibility", body: json(["tenant": "beta", "category": "L2", "gpus": 2])),
                ExampleFailure(403, as: Caller(.finance), .POST, "/v1/feasibility", body: json(["tenant": "alpha", "category": "L2", "gpus": 2])),
            ]),
    ]
}
