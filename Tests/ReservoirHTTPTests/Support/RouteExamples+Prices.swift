import Foundation
import ReservoirCore
import Testing

// MARK: - Prices in the route example catalog

extension RouteExamples {
    /// A price version body from a future instant no other example uses (the same model and instant twice is a 409).
    static func futurePrice(_ price: Any = "2.40", model: String = "T4", from: Double? = nil) -> [String: Any] {
        ["model": model, "pricePerHour": price, "effectiveFrom": from ?? Double(4_000_000_000 + Int.random(in: 0..<100_000_000)), "note": "example"]
    }

    static let prices: [String: RouteExample] = [
        "GET /v1/prices": RouteExample(
            valid: fixed(.GET, "/v1/prices?model=T4&at=1800000000"), status: 200,
            failures: [
                ExampleFailure(400, .GET, "/v1/prices?model=Z9000"), ExampleFailure(400, .GET, "/v1/prices?at=-5"),
                ExampleFailure(403, as: Caller(.agent), .GET, "/v1/prices"), ExampleFailure(401, as: .anonymous, .GET, "/v1/prices"),
            ]),
        "POST /v1/prices": RouteExample(
            valid: { _, _ in request(.POST, "/v1/prices", futurePrice()) }, status: 201,
            failures: [
                ExampleFailure(403) { _ in request(.POST, "/v1/prices", futurePrice()) },
                ExampleFailure(403, as: .member) { _ in request(.POST, "/v1/prices", futurePrice()) },
                ExampleFailure(400, as: Caller(.finance)) { _ in request(.POST, "/v1/prices", futurePrice("-1.00")) },
                ExampleFailure(400, as: Caller(.finance)) { _ in request(.POST, "/v1/prices", futurePrice(model: "Z9000")) },
                ExampleFailure(400, as: Caller(.finance)) { _ in request(.POST, "/v1/prices", futurePrice(from: 1_000)) },
                ExampleFailure(409, as: Caller(.finance)) { w in
                    let body = futurePrice()
                    _ = try await w.send(request(.POST, "/v1/prices", body), as: Caller(.finance))
                    return request(.POST, "/v1/prices", body)
                },
            ],
            caller: Caller(.finance)),
    ]
}
