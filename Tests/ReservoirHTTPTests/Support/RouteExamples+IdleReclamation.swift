import Foundation
import ReservoirCore
import Testing

// MARK: - Idle capacity and the L1 review in the route example catalog
//
// A fresh world has no utilization history: no service is idle (a confirmation is 409), none has an
// open confirmation (an answer or a reclamation is 409); the operator's 409 is the route's decision
// about state, after the caller was allowed.

extension RouteExamples {
    static let idleReclamation: [String: RouteExample] = [
        "GET /v1/reclamation/candidates": RouteExample(
            valid: fixed(.GET, "/v1/reclamation/candidates"), status: 200,
            failures: [ExampleFailure(403, as: .member, .GET, "/v1/reclamation/candidates?tenant=beta"), ExampleFailure(403, as: Caller(.agent), .GET, "/v1/reclamation/candidates")]),
        "POST /v1/services/{id}/idle-confirmation": RouteExample(
            valid: { w, t in request(.POST, "/v1/services/\(try await w.service(t))/idle-confirmation") }, status: 409,
            failures: [
                ExampleFailure(404, .POST, "/v1/services/nope/idle-confirmation"),
                ExampleFailure(403, as: .member) { w in request(.POST, "/v1/services/\(try await w.service("alpha"))/idle-confirmation") },
            ]),
        "POST /v1/services/{id}/idle-confirmation/answer": RouteExample(
            valid: { w, t in request(.POST, "/v1/services/\(try await w.service(t))/idle-confirmation/answer", ["answer": "keep", "reason": "launch next week"]) },
            status: 409,
            failures: [
                ExampleFailure(400) { w in request(.POST, "/v1/services/\(try await w.service("alpha"))/idle-confirmation/answer", ["answer": "maybe", "reason": "x"]) },
                ExampleFailure(400) { w in request(.POST, "/v1/services/\(try await w.service("alpha"))/idle-confirmation/answer", ["answer": "keep"]) },
                ExampleFailure(404, .POST, "/v1/services/nope/idle-confirmation/answer", body: json(["answer": "release", "reason": "x"])),
            ]),
        "POST /v1/services/{id}/reclaim": RouteExample(
            valid: { w, t in request(.POST, "/v1/services/\(try await w.service(t))/reclaim", ["action": "reclaim", "reason": "idle for a month"]) }, status: 409,
            failures: [
                ExampleFailure(400) { w in request(.POST, "/v1/services/\(try await w.service("alpha"))/reclaim", ["action": "shrink", "reason": "no replicas named"]) },
                ExampleFailure(400) { w in request(.POST, "/v1/services/\(try await w.service("alpha"))/reclaim", ["action": "reclaim", "replicas": 1, "reason": "x"]) },
                ExampleFailure(400) { w in request(.POST, "/v1/services/\(try await w.service("alpha"))/reclaim", ["action": "shrink", "replicas": 1]) },
                ExampleFailure(404, .POST, "/v1/services/nope/reclaim", body: json(["action": "reclaim", "reason": "x"])),
                ExampleFailure(403, as: .member) { w in request(.POST, "/v1/services/\(try await w.service("alpha"))/reclaim", ["action": "reclaim", "reason": "x"]) },
            ]),
        "GET /v1/reports/l1-review": RouteExample(
            valid: fixed(.GET, "/v1/reports/l1-review?month=2026-11"), status: 200,
            failures: [
                ExampleFailure(400, .GET, "/v1/reports/l1-review"), ExampleFailure(400, .GET, "/v1/reports/l1-review?month=2026-13"),
                ExampleFailure(403, as: .member, .GET, "/v1/reports/l1-review?month=2026-11&tenant=beta"),
            ]),
    ]
}
