import Foundation
import ReservoirCore
import Testing

// MARK: - Reclamations in the route example catalog

extension RouteExamples {
    static let reclamations: [String: RouteExample] = [
        "POST /v1/grants/{id}/return": RouteExample(
            valid: { w, t in request(.POST, "/v1/grants/\(try await w.freshGrant(t))/return?reason=done%20early") }, status: 200,
            failures: [
                ExampleFailure(404, .POST, "/v1/grants/grant-999999/return"),
                ExampleFailure(404, as: Caller(.member, tenant: "beta")) { w in request(.POST, "/v1/grants/\(try await w.freshGrant("alpha"))/return") },
                ExampleFailure(409) { w in
                    let id = try await w.freshGrant("alpha")
                    _ = try await w.api.send(.POST, "/v1/grants/\(id)/return", token: Fixture.operatorToken)
                    return request(.POST, "/v1/grants/\(id)/return")
                },
            ]),
        "POST /v1/grants/{id}/reclaim": RouteExample(
            valid: { w, t in request(.POST, "/v1/grants/\(try await w.freshGrant(t))/reclaim", ["approval": "OPS-1", "reason": "capacity for an outage"]) },
            status: 200,
            failures: [
                ExampleFailure(400) { w in request(.POST, "/v1/grants/\(try await w.freshGrant("alpha"))/reclaim", ["reason": "no approval"]) },
                ExampleFailure(403, as: .member) { w in
                    request(.POST, "/v1/grants/\(try await w.freshGrant("alpha"))/reclaim", ["approval": "OPS-1", "reason": "mine"])
                },
                ExampleFailure(404, .POST, "/v1/grants/grant-999999/reclaim", body: json(["approval": "OPS-1", "reason": "x"])),
            ]),
        "GET /v1/reclamations": RouteExample(
            valid: fixed(.GET, "/v1/reclamations?month=2026-11&reason=forced&limit=20"), status: 200,
            failures: [
                ExampleFailure(400, .GET, "/v1/reclamations?month=2026-13"), ExampleFailure(400, .GET, "/v1/reclamations?reason=bored"),
                ExampleFailure(403, as: .member, .GET, "/v1/reclamations?tenant=beta"),
            ]),
    ]
}
