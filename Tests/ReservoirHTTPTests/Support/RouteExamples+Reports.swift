import Foundation
import NIOHTTP1
import ReservoirCore

extension RouteExamples {
    /// The monthly transparency report.
    static let reports: [String: RouteExample] = [
        "GET /v1/reports/monthly": RouteExample(
            valid: fixed(.GET, "/v1/reports/monthly?format=json"), status: 200,
            failures: [
                ExampleFailure(400, .GET, "/v1/reports/monthly?month=2026-13"), ExampleFailure(400, .GET, "/v1/reports/monthly?month=2999-01"),
                ExampleFailure(400, .GET, "/v1/reports/monthly?format=pdf"), ExampleFailure(403, as: Caller(.agent), .GET, "/v1/reports/monthly"),
            ],
            renderings: [ExampleFailure(200, .GET, "/v1/reports/monthly?format=markdown"), ExampleFailure(200, .GET, "/v1/reports/monthly?format=html")]),
    ]
}
