import Foundation
import ReservoirCore
import Testing

// MARK: - Inference services and capacity requests in the route example catalog

extension ExampleWorld {
    /// A service deployment of `tenant`: CPU-only replicas in pool p2, so examples take no GPU from the others.
    static func serviceSpec(_ name: String, tenant: String?, min: Int = 1, max: Int = 2) -> [String: Any] {
        var spec: [String: Any] = [
            "name": name, "pool": "p2", "model": "tiny-bert", "request": ["cpuMilli": 100, "memoryMiB": 64],
            "replicas": ["min": min, "max": max], "sla": ["p99LatencyMs": 250, "peakQPS": 100],
        ]
        if let tenant { spec["tenant"] = tenant }
        return spec
    }

    /// The long-lived service of `tenant` (`svc-<tenant>`), deployed on first use.
    func service(_ tenant: String) async throws -> String {
        let name = "svc-\(tenant)"
        if try await api.get("/v1/services/\(name)", token: Fixture.operatorToken).status == 200 { return name }
        return try await freshService(tenant, name: name)
    }

    /// A new service of `tenant`, for examples that change or delete it.
    func freshService(_ tenant: String, name: String = ExampleWorld.unique("s")) async throws -> String {
        let r = try await api.post("/v1/services", token: Fixture.operatorToken, json: Self.serviceSpec(name, tenant: tenant))
        try #require(r.status == 201, "deploy \(name): \(r.text)")
        return name
    }
}

extension RouteExamples {
    static let services: [String: RouteExample] = [
        "GET /v1/services": RouteExample(
            valid: fixed(.GET, "/v1/services?limit=20"), status: 200,
            failures: [ExampleFailure(400, .GET, "/v1/services?limit=0"), ExampleFailure(403, as: .member, .GET, "/v1/services?tenant=beta")]),
        "POST /v1/services": RouteExample(
            valid: { _, t in request(.POST, "/v1/services", ExampleWorld.serviceSpec(ExampleWorld.unique("s"), tenant: t)) }, status: 201,
            failures: [
                ExampleFailure(400, .POST, "/v1/services", body: json(ExampleWorld.serviceSpec("bad", tenant: "alpha", min: 3, max: 2))),
                ExampleFailure(400, .POST, "/v1/services", body: json(ExampleWorld.serviceSpec("bad", tenant: "alpha").merging(["sla": ["peakQPS": 10]]) { _, b in b })),
                ExampleFailure(400, .POST, "/v1/services", body: json(ExampleWorld.serviceSpec("bad", tenant: "alpha").merging(["autoscaling": ["scaleInUtilPercent": -5]]) { _, b in b })),
                ExampleFailure(400, .POST, "/v1/services", body: json(ExampleWorld.serviceSpec("bad", tenant: "alpha").merging(["replica": 2]) { _, b in b })),
                ExampleFailure(422, .POST, "/v1/services", body: json(ExampleWorld.serviceSpec("huge", tenant: "alpha").merging(["request": ["gpus": 64]]) { _, b in b })),
                ExampleFailure(403, as: .member, .POST, "/v1/services", body: json(ExampleWorld.serviceSpec("theirs", tenant: "beta"))),
                ExampleFailure(409) { w in request(.POST, "/v1/services", ExampleWorld.serviceSpec(try await w.service("alpha"), tenant: "alpha")) },
            ]),
        "GET /v1/services/{id}": RouteExample(
            valid: { w, t in request(.GET, "/v1/services/\(try await w.service(t))") }, status: 200,
            failures: [ExampleFailure(404, .GET, "/v1/services/nope"), ExampleFailure(404, as: .member) { w in request(.GET, "/v1/services/\(try await w.service("beta"))") }]),
        "DELETE /v1/services/{id}": RouteExample(
            valid: { w, t in request(.DELETE, "/v1/services/\(try await w.freshService(t))") }, status: 204,
            failures: [ExampleFailure(404, .DELETE, "/v1/services/nope")]),
        "POST /v1/services/{id}/scale": RouteExample(
            valid: { w, t in request(.POST, "/v1/services/\(try await w.service(t))/scale", ["replicas": 2, "reason": "load test"]) }, status: 200,
            failures: [
                ExampleFailure(400) { w in request(.POST, "/v1/services/\(try await w.service("alpha"))/scale", ["replicas": 3, "reason": "over max"]) },
                ExampleFailure(400) { w in request(.POST, "/v1/services/\(try await w.service("alpha"))/scale", ["replicas": 1]) },
                ExampleFailure(404, .POST, "/v1/services/nope/scale", body: json(["replicas": 1, "reason": "x"])),
            ]),
        "GET /v1/services/{id}/history": RouteExample(
            valid: { w, t in request(.GET, "/v1/services/\(try await w.service(t))/history?limit=50") }, status: 200,
            failures: [ExampleFailure(404, .GET, "/v1/services/nope/history")]),
        "GET /v1/capacity-requests": RouteExample(
            valid: fixed(.GET, "/v1/capacity-requests?state=pending"), status: 200,
            failures: [ExampleFailure(400, .GET, "/v1/capacity-requests?state=maybe"), ExampleFailure(403, as: Caller(.agent), .GET, "/v1/capacity-requests")]),
        // No request is pending in a fresh world (no reserve pool): the operator gets 404; the others 403 first.
        "POST /v1/capacity-requests/{id}/approve": RouteExample(
            valid: fixed(.POST, "/v1/capacity-requests/cr-999999/approve"), status: 404,
            failures: [ExampleFailure(403, as: .member, .POST, "/v1/capacity-requests/cr-999999/approve")]),
        "POST /v1/capacity-requests/{id}/close": RouteExample(
            valid: fixed(.POST, "/v1/capacity-requests/cr-999999/close", ["note": "arranged"]), status: 404,
            failures: [
                ExampleFailure(400, .POST, "/v1/capacity-requests/cr-999999/close", body: json(["note": ""])),
                ExampleFailure(403, as: .member, .POST, "/v1/capacity-requests/cr-999999/close", body: json(["note": "x"])),
            ]),
    ]
}
