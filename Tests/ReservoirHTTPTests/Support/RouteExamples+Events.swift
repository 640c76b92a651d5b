import Foundation
import ReservoirCore
import Testing

// MARK: - Business events and series forecasts in the route example catalog

extension RouteExamples {
    /// A business event on p1's A100s over one day from `start`.
    static func businessEvent(start: Double = 1_900_000_000, end: Double? = nil) -> [String: Any] {
        ["name": "11.11 promotion", "kind": "promotion", "start": start, "end": end ?? start + 86_400, "uplift": 0.5, "pools": ["p1"], "models": ["A100-80GB"]]
    }

    static let businessEvents: [String: RouteExample] = [
        "GET /v1/business-events": RouteExample(
            valid: fixed(.GET, "/v1/business-events?limit=10"), status: 200,
            failures: [ExampleFailure(403, as: .member, .GET, "/v1/business-events"), ExampleFailure(401, as: .anonymous, .GET, "/v1/business-events")]),
        "POST /v1/business-events": RouteExample(
            valid: fixed(.POST, "/v1/business-events", businessEvent()), status: 201,
            failures: [
                ExampleFailure(400, .POST, "/v1/business-events", body: json(businessEvent(start: 1_900_000_000, end: 1_899_000_000))),
                ExampleFailure(400, .POST, "/v1/business-events", body: json(["name": "launch", "start": 1_900_000_000, "end": 1_900_086_400])),
                ExampleFailure(403, as: .member, .POST, "/v1/business-events", body: json(businessEvent())),
                ExampleFailure(403, as: Caller(.finance), .POST, "/v1/business-events", body: json(businessEvent())),
            ]),
        "DELETE /v1/business-events/{id}": RouteExample(
            valid: { w, _ in request(.DELETE, "/v1/business-events/\(try await w.make(.POST, "/v1/business-events", businessEvent()))") }, status: 204,
            failures: [
                ExampleFailure(404, .DELETE, "/v1/business-events/ev-999999"),
                ExampleFailure(403, as: .member) { w in request(.DELETE, "/v1/business-events/\(try await w.make(.POST, "/v1/business-events", businessEvent()))") },
            ]),
        "GET /v1/series/forecast": RouteExample(
            valid: fixed(.GET, "/v1/series/forecast?pool=p1&model=A100-80GB&horizon=48"), status: 409,
            failures: [
                ExampleFailure(400, .GET, "/v1/series/forecast?signal=price"), ExampleFailure(400, .GET, "/v1/series/forecast?horizon=0"),
                ExampleFailure(404, .GET, "/v1/series/forecast?model=Z9000"), ExampleFailure(404, .GET, "/v1/series/forecast?pool=nowhere"),
                ExampleFailure(400, .GET, "/v1/series/forecast?signal=utilization&pool=p1&model=T4"),
                ExampleFailure(403, as: .member, .GET, "/v1/series/forecast"),
            ]),
    ]
}
