import Foundation
import ReservoirCore
import Testing

// MARK: - Grants in the route example catalog

extension ExampleWorld {
    /// A new grant of `tenant`: a small request (2 A100s for 2 days) the operator submits, approved at once.
    func freshGrant(_ tenant: String) async throws -> String {
        let r = try await api.post("/v1/requests", token: Fixture.operatorToken, json: Self.requestForm(tenant: tenant, gpus: 2))
        try #require(r.status == 201, "request: \(r.text)")
        return try #require((r.object["grant"] as? [String: Any])?["id"] as? String, "auto-approved with a grant: \(r.text)")
    }
}

extension RouteExamples {
    static let grants: [String: RouteExample] = [
        "GET /v1/grants": RouteExample(
            valid: fixed(.GET, "/v1/grants?limit=20&state=active&emergency=false"), status: 200,
            failures: [
                ExampleFailure(400, .GET, "/v1/grants?limit=0"), ExampleFailure(400, .GET, "/v1/grants?state=pending"),
                ExampleFailure(400, .GET, "/v1/grants?emergency=maybe"), ExampleFailure(403, as: .member, .GET, "/v1/grants?tenant=beta"),
            ]),
        "GET /v1/grants/{id}": RouteExample(
            valid: { w, t in request(.GET, "/v1/grants/\(try await w.freshGrant(t))") }, status: 200,
            failures: [
                ExampleFailure(404, .GET, "/v1/grants/grant-999999"),
                ExampleFailure(404, as: Caller(.member, tenant: "beta")) { w in request(.GET, "/v1/grants/\(try await w.freshGrant("alpha"))") },
            ]),
        "POST /v1/emergencies": RouteExample(
            valid: { _, t in request(.POST, "/v1/emergencies", GrantsHTTPTests.emergencyForm(tenant: t, gpus: 1)) }, status: 201,
            failures: [
                ExampleFailure(403, .POST, "/v1/emergencies", body: json(GrantsHTTPTests.emergencyForm(gpus: 1))),
                ExampleFailure(403, as: .member, .POST, "/v1/emergencies", body: json(GrantsHTTPTests.emergencyForm(gpus: 1))),
                ExampleFailure(400, as: Caller(.emergencyApprover), .POST, "/v1/emergencies", body: json(ExampleWorld.requestForm(tenant: "alpha", gpus: 1))),
                ExampleFailure(404, as: Caller(.emergencyApprover), .POST, "/v1/emergencies", body: json(GrantsHTTPTests.emergencyForm(tenant: "nope", gpus: 1))),
            ],
            caller: Caller(.emergencyApprover)),
        "GET /v1/emergencies": RouteExample(
            valid: fixed(.GET, "/v1/emergencies?limit=20&state=active"), status: 200,
            failures: [
                ExampleFailure(400, .GET, "/v1/emergencies?limit=0"), ExampleFailure(400, .GET, "/v1/emergencies?state=pending"),
                ExampleFailure(403, as: .member, .GET, "/v1/emergencies?tenant=beta"),
            ]),
    ]
}
