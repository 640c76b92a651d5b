import Foundation
import ReservoirCore
import Testing

// MARK: - Resource requests in the route example catalog

extension ExampleWorld {
    /// A request form of `tenant` for 8 A100s: routed to the tenant's manager, so examples grant nothing.
    static func requestForm(tenant: String?, gpus: Int = 8) -> [String: Any] {
        var form: [String: Any] = [
            "department": "AI Lab", "project": "example", "contact": "lab@example.com", "businessGoal": "a fine-tune", "businessValue": "tests",
            "kind": "training", "category": "L2",
            "training": ["modelName": "m", "framework": "PyTorch", "parameters": 7e9, "tokens": 1e9, "gpuModel": "A100-80GB", "gpus": gpus, "durationHours": 48],
        ]
        if let tenant { form["tenant"] = tenant }
        return form
    }

    /// A new routed request of `tenant`, submitted by the operator.
    func freshRequest(_ tenant: String) async throws -> String {
        let r = try await api.post("/v1/requests", token: Fixture.operatorToken, json: Self.requestForm(tenant: tenant))
        try #require(r.status == 201, "request: \(r.text)")
        return try #require((r.object["request"] as? [String: Any])?["id"] as? String, "\(r.text)")
    }
}

extension RouteExamples {
    static let requests: [String: RouteExample] = [
        "POST /v1/requests": RouteExample(
            valid: { _, t in request(.POST, "/v1/requests", ExampleWorld.requestForm(tenant: t)) }, status: 201,
            failures: [
                ExampleFailure(400, .POST, "/v1/requests", body: json(ExampleWorld.requestForm(tenant: "alpha", gpus: -1))),
                ExampleFailure(404, .POST, "/v1/requests", body: json(ExampleWorld.requestForm(tenant: "nope"))),
                ExampleFailure(403, as: .member, .POST, "/v1/requests", body: json(ExampleWorld.requestForm(tenant: "beta"))),
                ExampleFailure(403, as: Caller(.agent), .POST, "/v1/requests", body: json(ExampleWorld.requestForm(tenant: "alpha"))),
            ]),
        "GET /v1/requests": RouteExample(
            valid: fixed(.GET, "/v1/requests?limit=20&state=under-review"), status: 200,
            failures: [
                ExampleFailure(400, .GET, "/v1/requests?limit=0"), ExampleFailure(400, .GET, "/v1/requests?state=pending"),
                ExampleFailure(403, as: .member, .GET, "/v1/requests?tenant=beta"),
            ]),
        "GET /v1/requests/{id}": RouteExample(
            valid: { w, t in request(.GET, "/v1/requests/\(try await w.freshRequest(t))") }, status: 200,
            failures: [
                ExampleFailure(404, .GET, "/v1/requests/req-999999"),
                ExampleFailure(404, as: Caller(.member, tenant: "beta")) { w in request(.GET, "/v1/requests/\(try await w.freshRequest("alpha"))") },
            ]),
        "POST /v1/requests/{id}/withdraw": RouteExample(
            valid: { w, t in request(.POST, "/v1/requests/\(try await w.freshRequest(t))/withdraw?reason=no%20longer%20needed") }, status: 200,
            failures: [
                ExampleFailure(404, .POST, "/v1/requests/req-999999/withdraw"),
                ExampleFailure(403, as: Caller(.finance)) { w in request(.POST, "/v1/requests/\(try await w.freshRequest("alpha"))/withdraw") },
                ExampleFailure(409) { w in
                    let id = try await w.freshRequest("alpha")
                    _ = try await w.api.send(.POST, "/v1/requests/\(id)/withdraw", token: Fixture.operatorToken)
                    return request(.POST, "/v1/requests/\(id)/withdraw")
                },
            ]),
    ]
}
