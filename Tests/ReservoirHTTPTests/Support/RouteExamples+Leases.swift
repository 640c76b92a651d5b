import Foundation
import ReservoirCore
import Testing

// MARK: - Lease extensions in the route example catalog

extension ExampleWorld {
    /// A new grant of `tenant` (see `freshGrant`) with extension 1 pending, asked by the operator.
    func grantWithPendingExtension(_ tenant: String) async throws -> String {
        let grant = try await freshGrant(tenant)
        let r = try await api.post("/v1/grants/\(grant)/extensions", token: Fixture.operatorToken, json: ["days": 1, "reason": "the run needs a day more"])
        try #require(r.status == 200, "extension: \(r.text)")
        return grant
    }
}

extension RouteExamples {
    static let leases: [String: RouteExample] = [
        "POST /v1/grants/{id}/extensions": RouteExample(
            valid: { w, t in request(.POST, "/v1/grants/\(try await w.freshGrant(t))/extensions", ["days": 1, "reason": "the run needs a day more"]) }, status: 200,
            failures: [
                ExampleFailure(400) { w in request(.POST, "/v1/grants/\(try await w.freshGrant("alpha"))/extensions", ["days": 1]) },
                ExampleFailure(400) { w in request(.POST, "/v1/grants/\(try await w.freshGrant("alpha"))/extensions", ["days": 99, "reason": "long"]) },
                ExampleFailure(404, .POST, "/v1/grants/grant-999999/extensions", body: json(["days": 1, "reason": "none"])),
                ExampleFailure(404, as: Caller(.member, tenant: "beta")) { w in
                    request(.POST, "/v1/grants/\(try await w.freshGrant("alpha"))/extensions", ["days": 1, "reason": "theirs"])
                },
                ExampleFailure(409) { w in request(.POST, "/v1/grants/\(try await w.grantWithPendingExtension("alpha"))/extensions", ["days": 1, "reason": "again"]) },
            ]),
        "GET /v1/grants/{id}/extensions": RouteExample(
            valid: { w, t in request(.GET, "/v1/grants/\(try await w.grantWithPendingExtension(t))/extensions") }, status: 200,
            failures: [
                ExampleFailure(404, .GET, "/v1/grants/grant-999999/extensions"),
                ExampleFailure(404, as: Caller(.member, tenant: "beta")) { w in request(.GET, "/v1/grants/\(try await w.freshGrant("alpha"))/extensions") },
            ]),
        "POST /v1/grants/{id}/extensions/{n}/decision": RouteExample(
            valid: { w, t in
                request(.POST, "/v1/grants/\(try await w.grantWithPendingExtension(t))/extensions/1/decision", ["verdict": "approve", "reason": "nothing waits"])
            }, status: 200,
            failures: [
                ExampleFailure(400) { w in
                    request(.POST, "/v1/grants/\(try await w.grantWithPendingExtension("alpha"))/extensions/1/decision", ["verdict": "maybe", "reason": "?"])
                },
                ExampleFailure(400) { w in request(.POST, "/v1/grants/\(try await w.freshGrant("alpha"))/extensions/x/decision", ["verdict": "approve", "reason": "?"]) },
                ExampleFailure(404) { w in
                    request(.POST, "/v1/grants/\(try await w.freshGrant("alpha"))/extensions/3/decision", ["verdict": "approve", "reason": "none"])
                },
                ExampleFailure(403, as: .member) { w in
                    request(.POST, "/v1/grants/\(try await w.grantWithPendingExtension("alpha"))/extensions/1/decision", ["verdict": "approve", "reason": "mine"])
                },
            ]),
    ]
}
