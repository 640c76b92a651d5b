import Foundation
import ReservoirCore
import Testing

// MARK: - Alerts in the route example catalog

extension RouteExamples {
    static let alerts: [String: RouteExample] = [
        "GET /v1/alerts": RouteExample(
            valid: fixed(.GET, "/v1/alerts?state=firing&since=7d&limit=20"), status: 200,
            failures: [ExampleFailure(400, .GET, "/v1/alerts?state=burning"), ExampleFailure(400, .GET, "/v1/alerts?since=yesterday-ish")]),
    ]
}
