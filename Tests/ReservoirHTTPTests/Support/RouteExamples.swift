import Foundation
import NIOHTTP1
import ReservoirCore
import Testing

// MARK: - The route example catalog
//
// One example per route of the route table, keyed by "METHOD path" exactly as the table writes it
// (`"GET /v1/jobs/{id}"`), for tests that must touch every route: the OpenAPI conformance test and
// the authorization matrix.
//
//   let world = try await ExampleWorld.setUp(api)        // fixture + a user of every role + a job per tenant
//   let example = RouteExamples.all["DELETE /v1/tokens/{id}"]!
//   let request = try await example.valid(world, "beta")   // against an object of tenant beta (made fresh if consumed)
//   let reply = try await world.send(request, as: .init(.member, tenant: "alpha"))   // alice's colleague, other tenant
//   #expect(reply.status == example.status)               // what the operator gets for `valid`
//   for failure in example.failures { … failure.request(world) sent as failure.caller must answer failure.status }
//
// - `ExampleWorld.tenants` are "alpha" and "beta"; `Caller(role, tenant:)` picks a user of that role in
//   that tenant (operators and finance are platform-wide: their tenant is ignored); `Caller.anonymous`
//   sends no token.
// - `valid(world, tenant)` prepares what the request needs as the operator (a fresh tenant, user,
//   token, job or quota of `tenant` when the request consumes one) and returns the request; it is
//   valid input, so any other status than `status` for an operator is the route's decision about the
//   caller (403/404) or about state, never about malformed input.
// - `status` is what the operator gets for `valid`; in a fresh fixture the capacity plan, the chart
//   and a surge answer 409 (no demand history yet), which the contract documents. A route only one role may
//   call (`POST /v1/emergencies`) names that `caller` instead of the operator.
// - `failures` are requests that must fail, each with its caller and status (400, 403, 404, 409, 422…).

/// A request as the catalog describes it.
struct ExampleRequest: Sendable {
    var method: HTTPMethod
    var path: String
    var body: String? = nil
    var contentType = "application/json"
}

/// Who sends a request.
struct Caller: Sendable, Hashable, CustomStringConvertible {
    var role: Role?
    var tenant: String?

    init(_ role: Role?, tenant: String? = "alpha") {
        self.role = role
        self.tenant = role == .operator_ || role == .finance || role == .agent ? nil : tenant
    }

    static let admin = Caller(.operator_)
    static let anonymous = Caller(nil, tenant: nil)
    static let member = Caller(.member)

    var description: String { role.map { "\($0.rawValue)\(tenant.map { " of \($0)" } ?? "")" } ?? "anonymous" }
}

/// A request that must fail: who sends it and the status it must get.
struct ExampleFailure: Sendable {
    var caller: Caller
    var status: Int
    var request: @Sendable (ExampleWorld) async throws -> ExampleRequest

    init(_ status: Int, as caller: Caller = .admin, _ request: @escaping @Sendable (ExampleWorld) async throws -> ExampleRequest) {
        self.caller = caller
        self.status = status
        self.request = request
    }

    init(_ status: Int, as caller: Caller = .admin, _ method: HTTPMethod, _ path: String, body: String? = nil) {
        self.init(status, as: caller) { _ in ExampleRequest(method: method, path: path, body: body) }
    }
}

struct RouteExample: Sendable {
    var valid: @Sendable (ExampleWorld, _ tenant: String) async throws -> ExampleRequest
    var status: Int
    var failures: [ExampleFailure]
    /// Who sends `valid` where the whole route is one role's (the green channel: an emergency approver).
    var caller: Caller = .admin
    /// Other successful requests of the route, each another rendering of its answer (CSV, Markdown, HTML):
    /// held to the document like the rest.
    var renderings: [ExampleFailure] = []
}

/// What the examples act on, made through the API by `setUp`.
struct ExampleWorld: Sendable {
    static let tenants = ["alpha", "beta"]
    let api: API
    /// Tokens by user id.
    let tokens: [String: String]
    /// A long-running job of each tenant, by tenant.
    let jobs: [String: String]
    /// A node of pool p2 (T4s).
    let node: String

    /// `Fixture.setUp` (tenants alpha and beta, quotas in p1, members alice and bob), plus an approver
    /// and an emergency approver in each tenant, a platform-wide finance user and node agent, and a job of each tenant.
    static func setUp(_ api: API) async throws -> ExampleWorld {
        let t = try await Fixture.setUp(api)
        var tokens = ["alice": t.alice, "bob": t.bob, "operator": Fixture.operatorToken]
        var users: [(String, String?, Role)] = [("finance", nil, .finance), ("agent", nil, .agent)]
        for tenant in tenants { users += [(user(.approver, tenant), tenant, .approver), (user(.emergencyApprover, tenant), tenant, .emergencyApprover)] }
        for (id, tenant, role) in users {
            var body: [String: Any] = ["id": id, "roles": [role.rawValue]]
            if let tenant { body["tenant"] = tenant }
            let u = try await api.post("/v1/users", token: Fixture.operatorToken, json: body)
            try #require(u.status == 201, "user \(id): \(u.text)")
            let k = try await api.post("/v1/tokens", token: Fixture.operatorToken, json: ["user": id])
            tokens[id] = try #require(k.object["token"] as? String)
        }
        var jobs: [String: String] = [:]
        for tenant in tenants {
            let j = try await api.post("/v1/jobs", token: Fixture.operatorToken, json: Fixture.job("long-\(tenant)", runtime: 86_400 * 30, tenant: tenant))
            jobs[tenant] = try #require(j.object["id"] as? String, "job: \(j.text)")
        }
        let nodes = try await api.get("/v1/nodes?pool=p2", token: Fixture.operatorToken)
        let node = try #require(nodes.array.first?["id"] as? String, "\(nodes.text)")
        return ExampleWorld(api: api, tokens: tokens, jobs: jobs, node: node)
    }

    /// The user of `role` in `tenant`.
    static func user(_ role: Role, _ tenant: String?) -> String {
        switch role {
        case .operator_: "operator"
        case .finance: "finance"
        case .agent: "agent"
        case .member: tenant == "beta" ? "bob" : "alice"
        default: "\(tenant ?? "alpha")-\(role.rawValue)"
        }
    }

    func token(_ caller: Caller) -> String? { caller.role.map { tokens[Self.user($0, caller.tenant)]! } }

    func send(_ request: ExampleRequest, as caller: Caller) async throws -> Reply {
        try await api.send(request.method, request.path, token: token(caller), body: request.body, contentType: request.contentType, timeout: .seconds(120))
    }

    /// A fresh name, so examples can be run again on the same world.
    static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// Makes something as the operator and returns the created object's `field`.
    func make(_ method: HTTPMethod, _ path: String, _ body: [String: Any], field: String = "id") async throws -> String {
        let data = try JSONSerialization.data(withJSONObject: body)
        let r = try await api.send(method, path, token: Fixture.operatorToken, body: String(decoding: data, as: UTF8.self))
        try #require(r.status < 300, "\(method) \(path): \(r.text)")
        return try #require(r.object[field] as? String, "\(method) \(path): \(r.text)")
    }

    func freshTenant() async throws -> String { try await make(.POST, "/v1/tenants", ["id": Self.unique("t")]) }
    func freshUser(_ tenant: String) async throws -> String {
        try await make(.POST, "/v1/users", ["id": Self.unique("u"), "tenant": tenant, "roles": ["member"]])
    }
    func freshToken(_ tenant: String) async throws -> String {
        try await make(.POST, "/v1/tokens", ["user": try await freshUser(tenant)])
    }
    func freshJob(_ tenant: String) async throws -> String {
        try await make(.POST, "/v1/jobs", Fixture.job(Self.unique("j"), runtime: 86_400 * 30, tenant: tenant))
    }
}

enum RouteExamples {
    static func json(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    static func request(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil) -> ExampleRequest {
        ExampleRequest(method: method, path: path, body: body.map(json))
    }

    /// A valid request that does not depend on a tenant.
    static func fixed(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil) -> @Sendable (ExampleWorld, String) async throws -> ExampleRequest {
        let r = request(method, path, body)
        return { _, _ in r }
    }

    static var gpuModel: [String: Any] { [
        "name": "X1", "kind": "gpu", "vendor": "Example", "memoryMiB": 81_920, "fp16TFLOPS": 300, "bf16TFLOPS": 300,
        "memoryBandwidthGBps": 2000, "pricePerHour": 2.5, "defaultEfficiency": 0.4, "aliases": ["EX-1"], "opaque": false,
    ] }

    static let all: [String: RouteExample] = inventory.merging(tenancy) { a, _ in a }.merging(jobs) { a, _ in a }.merging(planning) { a, _ in a }
        .merging(health) { a, _ in a }.merging(services) { a, _ in a }
        .merging(profiles) { a, _ in a }.merging(estimates) { a, _ in a }.merging(feasibility) { a, _ in a }
        .merging(requests) { a, _ in a }.merging(reviews) { a, _ in a }
        .merging(grants) { a, _ in a }.merging(leases) { a, _ in a }.merging(idleReclamation) { a, _ in a }.merging(reclamations) { a, _ in a }
        .merging(alerts) { a, _ in a }
        .merging(invoices) { a, _ in a }
        .merging(reports) { a, _ in a }
        .merging(prices) { a, _ in a }
        .merging(businessEvents) { a, _ in a }

    /// A node agent's report of the example world's T4 node finding both its GPUs (so it changes nothing).
    static func agentReport(_ node: String, util: Double = 12) -> [String: Any] {
        [
            "node": node,
            "devices": (0..<2).map { ["index": $0, "name": "Tesla T4", "model": "T4", "memoryMiB": 15_360, "migInstances": [], "links": []] as [String: Any] },
            "samples": (0..<2).map { ["device": "\(node)/gpu\($0)", "at": Date().timeIntervalSince1970 - 1, "gpuUtilPercent": util, "memoryUsedMiB": 1_024] as [String: Any] },
        ]
    }

    static let health: [String: RouteExample] = [
        "POST /v1/agent/reports": RouteExample(
            valid: { w, _ in request(.POST, "/v1/agent/reports", agentReport(w.node)) }, status: 200,
            failures: [
                ExampleFailure(403, as: .member) { w in request(.POST, "/v1/agent/reports", agentReport(w.node)) },
                ExampleFailure(404, as: Caller(.agent)) { _ in request(.POST, "/v1/agent/reports", agentReport("nope")) },
                ExampleFailure(400, as: Caller(.agent)) { w in request(.POST, "/v1/agent/reports", agentReport(w.node, util: 250)) },
            ]),
        "GET /v1/devices/{id}/health": RouteExample(
            valid: { w, _ in request(.GET, "/v1/devices/\(w.node)%2Fgpu0/health") }, status: 200,
            failures: [ExampleFailure(404, .GET, "/v1/devices/nope%2Fgpu0/health"), ExampleFailure(403, as: Caller(.agent), .GET, "/v1/devices/nope%2Fgpu0/health")]),
    ]

    static let inventory: [String: RouteExample] = [
        "GET /v1/regions": RouteExample(valid: fixed(.GET, "/v1/regions"), status: 200, failures: [ExampleFailure(401, as: .anonymous, .GET, "/v1/regions")]),
        "GET /v1/clusters": RouteExample(valid: fixed(.GET, "/v1/clusters"), status: 200, failures: [ExampleFailure(401, as: .anonymous, .GET, "/v1/clusters")]),
        "GET /v1/pools": RouteExample(valid: fixed(.GET, "/v1/pools"), status: 200, failures: [ExampleFailure(401, as: .anonymous, .GET, "/v1/pools")]),
        "GET /v1/pools/{id}": RouteExample(valid: fixed(.GET, "/v1/pools/p1"), status: 200, failures: [ExampleFailure(404, .GET, "/v1/pools/nope")]),
        "GET /v1/nodes": RouteExample(
            valid: fixed(.GET, "/v1/nodes?pool=p1&state=ready"), status: 200, failures: [ExampleFailure(400, .GET, "/v1/nodes?state=melting")]),
        "GET /v1/nodes/{id}": RouteExample(
            valid: { w, _ in request(.GET, "/v1/nodes/\(w.node)") }, status: 200, failures: [ExampleFailure(404, .GET, "/v1/nodes/nope")]),
        "PATCH /v1/nodes/{id}": RouteExample(
            valid: { w, _ in request(.PATCH, "/v1/nodes/\(w.node)", ["state": "ready"]) }, status: 200,
            failures: [
                ExampleFailure(403, as: .member) { w in request(.PATCH, "/v1/nodes/\(w.node)", ["state": "cordoned"]) },
                ExampleFailure(400) { w in request(.PATCH, "/v1/nodes/\(w.node)", ["state": "melting"]) },
                ExampleFailure(404, .PATCH, "/v1/nodes/nope", body: json(["state": "ready"])),
            ]),
        "GET /v1/devices": RouteExample(
            valid: fixed(.GET, "/v1/devices?pool=p1&model=A100-80GB"), status: 200, failures: [ExampleFailure(401, as: .anonymous, .GET, "/v1/devices")]),
        "PATCH /v1/nodes/{id}/devices/{index}": RouteExample(
            valid: { w, _ in request(.PATCH, "/v1/nodes/\(w.node)/devices/0", ["state": "available"]) }, status: 200,
            failures: [
                ExampleFailure(403, as: .member) { w in request(.PATCH, "/v1/nodes/\(w.node)/devices/0", ["state": "maintenance"]) },
                ExampleFailure(400) { w in request(.PATCH, "/v1/nodes/\(w.node)/devices/0", ["state": "allocated"]) },
                ExampleFailure(404) { w in request(.PATCH, "/v1/nodes/\(w.node)/devices/63", ["state": "available"]) },
            ]),
        "GET /v1/catalog": RouteExample(valid: fixed(.GET, "/v1/catalog"), status: 200, failures: [ExampleFailure(401, as: .anonymous, .GET, "/v1/catalog")]),
        "PUT /v1/catalog/{name}": RouteExample(
            valid: fixed(.PUT, "/v1/catalog/X1", gpuModel), status: 200,
            failures: [
                ExampleFailure(403, as: .member, .PUT, "/v1/catalog/X1", body: json(gpuModel)),
                ExampleFailure(400, .PUT, "/v1/catalog/X1", body: json(gpuModel.merging(["defaultEfficiency": 2]) { $1 })),
            ]),
        "POST /v1/import": RouteExample(
            valid: { _, _ in ExampleRequest(method: .POST, path: "/v1/import", body: Fixture.inventoryYAML, contentType: "application/yaml") }, status: 201,
            failures: [
                ExampleFailure(403, as: .member) { _ in ExampleRequest(method: .POST, path: "/v1/import", body: Fixture.inventoryYAML, contentType: "application/yaml") },
                ExampleFailure(400) { _ in ExampleRequest(method: .POST, path: "/v1/import", body: "regions: [{id: Bad Region, clusters: []}]", contentType: "application/yaml") },
            ]),
    ]

    static let tenancy: [String: RouteExample] = [
        "GET /v1/tenants": RouteExample(valid: fixed(.GET, "/v1/tenants"), status: 200, failures: [ExampleFailure(401, as: .anonymous, .GET, "/v1/tenants")]),
        "POST /v1/tenants": RouteExample(
            valid: { _, _ in request(.POST, "/v1/tenants", ["id": ExampleWorld.unique("t"), "name": "Example", "weight": 2]) }, status: 201,
            failures: [
                ExampleFailure(403, as: .member, .POST, "/v1/tenants", body: json(["id": "gamma"])),
                ExampleFailure(400, .POST, "/v1/tenants", body: json(["id": "Not An Id"])),
                ExampleFailure(409, .POST, "/v1/tenants", body: json(["id": "alpha"])),
            ]),
        "PATCH /v1/tenants/{id}": RouteExample(
            valid: { _, t in request(.PATCH, "/v1/tenants/\(t)", ["disabled": false]) }, status: 200,
            failures: [
                ExampleFailure(404, .PATCH, "/v1/tenants/nope", body: json(["disabled": true])),
                ExampleFailure(403, as: .member, .PATCH, "/v1/tenants/alpha", body: json(["disabled": true])),
            ]),
        "DELETE /v1/tenants/{id}": RouteExample(
            valid: { w, _ in request(.DELETE, "/v1/tenants/\(try await w.freshTenant())") }, status: 204,
            failures: [ExampleFailure(404, .DELETE, "/v1/tenants/nope"), ExampleFailure(409, .DELETE, "/v1/tenants/alpha")]),
        "GET /v1/users": RouteExample(valid: fixed(.GET, "/v1/users"), status: 200, failures: [ExampleFailure(401, as: .anonymous, .GET, "/v1/users")]),
        "POST /v1/users": RouteExample(
            valid: { _, t in request(.POST, "/v1/users", ["id": ExampleWorld.unique("u"), "tenant": t, "roles": ["member"]]) }, status: 201,
            failures: [
                ExampleFailure(403, as: .member, .POST, "/v1/users", body: json(["id": "mallory", "tenant": "alpha", "roles": ["operator"]])),
                ExampleFailure(400, .POST, "/v1/users", body: json(["id": "carol", "roles": ["king"]])),
            ]),
        "PATCH /v1/users/{id}": RouteExample(
            valid: { w, t in request(.PATCH, "/v1/users/\(try await w.freshUser(t))", ["disabled": true]) }, status: 200,
            failures: [ExampleFailure(404, .PATCH, "/v1/users/nope", body: json(["disabled": true]))]),
        "DELETE /v1/users/{id}": RouteExample(
            valid: { w, t in request(.DELETE, "/v1/users/\(try await w.freshUser(t))") }, status: 204,
            failures: [ExampleFailure(404, .DELETE, "/v1/users/nope")]),
        "GET /v1/tokens": RouteExample(valid: fixed(.GET, "/v1/tokens"), status: 200, failures: [ExampleFailure(401, as: .anonymous, .GET, "/v1/tokens")]),
        "POST /v1/tokens": RouteExample(
            valid: { w, t in request(.POST, "/v1/tokens", ["user": try await w.freshUser(t), "expiresAt": Date().timeIntervalSince1970 + 3600]) }, status: 201,
            failures: [
                ExampleFailure(403, as: .member, .POST, "/v1/tokens", body: json(["user": "bob"])),
                ExampleFailure(404, .POST, "/v1/tokens", body: json(["user": "nobody"])),
            ]),
        "DELETE /v1/tokens/{id}": RouteExample(
            valid: { w, t in request(.DELETE, "/v1/tokens/\(try await w.freshToken(t))") }, status: 204,
            failures: [ExampleFailure(404, .DELETE, "/v1/tokens/tok-nope")]),
        "GET /v1/quotas": RouteExample(valid: fixed(.GET, "/v1/quotas"), status: 200, failures: [ExampleFailure(401, as: .anonymous, .GET, "/v1/quotas")]),
        "PUT /v1/quotas": RouteExample(
            valid: { _, t in request(.PUT, "/v1/quotas", ["tenant": t, "pool": "p2", "model": "T4", "guaranteed": 1, "limit": 2]) }, status: 200,
            failures: [
                ExampleFailure(400, .PUT, "/v1/quotas", body: json(["tenant": "alpha", "pool": "p2", "guaranteed": 3, "limit": 2])),
                ExampleFailure(403, as: .member, .PUT, "/v1/quotas", body: json(["tenant": "alpha", "pool": "p2", "guaranteed": 1, "limit": 2])),
            ]),
        "DELETE /v1/quotas": RouteExample(
            valid: { w, t in
                _ = try await w.api.put("/v1/quotas", token: Fixture.operatorToken, json: ["tenant": t, "pool": "p2", "model": "T4", "guaranteed": 0, "limit": 1])
                return request(.DELETE, "/v1/quotas?tenant=\(t)&pool=p2&model=T4")
            }, status: 204,
            failures: [ExampleFailure(400, .DELETE, "/v1/quotas?tenant=alpha"), ExampleFailure(404, .DELETE, "/v1/quotas?tenant=alpha&pool=nope")]),
        "GET /v1/usage": RouteExample(
            valid: fixed(.GET, "/v1/usage?since=0&tenant=alpha"), status: 200,
            failures: [
                ExampleFailure(400, .GET, "/v1/usage?since=-1"), ExampleFailure(400, .GET, "/v1/usage?open=maybe"),
                ExampleFailure(403, as: .member, .GET, "/v1/usage?tenant=beta"),
            ]),
        "GET /v1/usage/reconciliation": RouteExample(
            valid: fixed(.GET, "/v1/usage/reconciliation?since=0"), status: 200,
            failures: [
                ExampleFailure(400, .GET, "/v1/usage/reconciliation?since=-1"), ExampleFailure(400, .GET, "/v1/usage/reconciliation?since=10&until=5"),
                ExampleFailure(403, as: .member, .GET, "/v1/usage/reconciliation"),
            ]),
        "GET /v1/audit": RouteExample(
            valid: fixed(.GET, "/v1/audit?object=tenants&limit=20"), status: 200, failures: [ExampleFailure(400, .GET, "/v1/audit?since=nan"), ExampleFailure(400, .GET, "/v1/audit?object=jobs%01")]),
    ]

    static let jobs: [String: RouteExample] = [
        "GET /v1/jobs": RouteExample(
            valid: fixed(.GET, "/v1/jobs?state=admitted&limit=50"), status: 200, failures: [ExampleFailure(400, .GET, "/v1/jobs?state=sleeping")]),
        "POST /v1/jobs": RouteExample(
            valid: { _, t in
                var job = Fixture.job(ExampleWorld.unique("j"), runtime: 60, tenant: t)
                job["command"] = ["python", "train.py"]
                job["env"] = ["EPOCHS": "3"]
                return request(.POST, "/v1/jobs", job)
            }, status: 201,
            failures: [
                ExampleFailure(400, .POST, "/v1/jobs", body: json(["name": "x", "request": ["gpus": 65]])),
                ExampleFailure(422, .POST, "/v1/jobs", body: json(Fixture.job("huge", gpus: 64, tenant: "alpha"))),
                ExampleFailure(403, as: .member, .POST, "/v1/jobs", body: json(Fixture.job("urgent", priority: "P0"))),
            ]),
        "POST /v1/jobs/cancel": RouteExample(
            valid: { _, t in request(.POST, "/v1/jobs/cancel", ["tenant": t, "state": "queued"]) }, status: 200,
            failures: [ExampleFailure(400, .POST, "/v1/jobs/cancel", body: "{}")]),
        "GET /v1/jobs/{id}": RouteExample(
            valid: { w, t in request(.GET, "/v1/jobs/\(w.jobs[t]!)") }, status: 200, failures: [ExampleFailure(404, .GET, "/v1/jobs/job-999999")]),
        "PATCH /v1/jobs/{id}": RouteExample(
            valid: { w, t in request(.PATCH, "/v1/jobs/\(w.jobs[t]!)", ["priority": "P2"]) }, status: 200,
            failures: [
                ExampleFailure(404, .PATCH, "/v1/jobs/job-999999", body: json(["priority": "P2"])),
                ExampleFailure(403, as: .member) { w in request(.PATCH, "/v1/jobs/\(w.jobs["alpha"]!)", ["priority": "P0"]) },
            ]),
        "GET /v1/jobs/{id}/explain": RouteExample(
            valid: { w, t in request(.GET, "/v1/jobs/\(w.jobs[t]!)/explain") }, status: 200,
            failures: [ExampleFailure(404, .GET, "/v1/jobs/job-999999/explain")]),
        "POST /v1/jobs/{id}/cancel": RouteExample(
            valid: { w, t in request(.POST, "/v1/jobs/\(try await w.freshJob(t))/cancel") }, status: 200,
            failures: [ExampleFailure(404, .POST, "/v1/jobs/job-999999/cancel")]),
        "GET /v1/jobs/{id}/events": RouteExample(
            valid: { w, t in request(.GET, "/v1/jobs/\(w.jobs[t]!)/events") }, status: 200,
            failures: [ExampleFailure(404, .GET, "/v1/jobs/job-999999/events")]),
        "GET /v1/jobs/{id}/logs": RouteExample(
            valid: { w, t in request(.GET, "/v1/jobs/\(w.jobs[t]!)/logs?offset=0&limit=4096") }, status: 200,
            failures: [ExampleFailure(400) { w in request(.GET, "/v1/jobs/\(w.jobs["alpha"]!)/logs?offset=-1") }]),
    ]

    static let planning: [String: RouteExample] = [
        "POST /v1/telemetry/samples": RouteExample(
            valid: { _, _ in
                let now = Date().timeIntervalSince1970
                return request(.POST, "/v1/telemetry/samples", ["samples": [
                    ["device": "a100-01/gpu0", "at": now - 30, "gpuUtilPercent": 71.5, "memoryUsedMiB": 40_000, "powerWatts": 310, "temperatureCelsius": 61],
                    ["device": "a100-01/gpu1", "at": now - 30, "gpuUtilPercent": 0, "memoryUsedMiB": 0],
                ]])
            }, status: 200,
            failures: [
                ExampleFailure(400, .POST, "/v1/telemetry/samples", body: json(["samples": [["device": "a100-01/gpu0", "at": 1.7e9, "gpuUtilPercent": 250, "memoryUsedMiB": 0]]])),
                ExampleFailure(404, .POST, "/v1/telemetry/samples", body: json(["samples": [["device": "nowhere/gpu0", "at": Date().timeIntervalSince1970, "gpuUtilPercent": 1, "memoryUsedMiB": 0]]])),
                ExampleFailure(403, as: .member, .POST, "/v1/telemetry/samples", body: json(["samples": [] as [Any]])),
            ]),
        "GET /v1/utilization": RouteExample(
            valid: fixed(.GET, "/v1/utilization?scope=pool&id=p1&since=7d&resolution=hour"), status: 200,
            failures: [
                ExampleFailure(400, .GET, "/v1/utilization?since=lately"),
                ExampleFailure(400, .GET, "/v1/utilization?scope=rack&id=r1"), ExampleFailure(400, .GET, "/v1/utilization?scope=pool"),
                ExampleFailure(400, .GET, "/v1/utilization?since=0&until=1700000000&resolution=minute"),
                ExampleFailure(403, as: .member, .GET, "/v1/utilization?scope=tenant&id=beta"),
                ExampleFailure(403, as: Caller(.agent), .GET, "/v1/utilization"),
            ]),
        "GET /v1/series/demand": RouteExample(
            valid: fixed(.GET, "/v1/series/demand?pool=p1&resolution=daily"), status: 200,
            failures: [ExampleFailure(400, .GET, "/v1/series/demand?resolution=weekly")]),
        "GET /v1/plans/capacity": RouteExample(
            valid: fixed(.GET, "/v1/plans/capacity?threshold=0.7&buffer=0.1"), status: 409,
            failures: [ExampleFailure(400, .GET, "/v1/plans/capacity?threshold=0.9"), ExampleFailure(403, as: .member, .GET, "/v1/plans/capacity")]),
        "POST /v1/plans/capacity": RouteExample(
            valid: fixed(.POST, "/v1/plans/capacity"), status: 409, failures: [ExampleFailure(403, as: .member, .POST, "/v1/plans/capacity")]),
        "GET /v1/plans/chart": RouteExample(
            valid: fixed(.GET, "/v1/plans/chart?model=A100-80GB"), status: 409, failures: [ExampleFailure(400, .GET, "/v1/plans/chart")]),
        "POST /v1/plans/whatif": RouteExample(
            valid: fixed(.POST, "/v1/plans/whatif", ["scenario": "request", "region": "r1", "model": "A100-80GB", "gpus": 4, "durationHours": 48]),
            status: 200,
            failures: [
                ExampleFailure(400, .POST, "/v1/plans/whatif", body: json(["scenario": "later", "model": "A100-80GB"])),
                ExampleFailure(409, .POST, "/v1/plans/whatif", body: json(["scenario": "surge", "model": "A100-80GB", "factor": 2])),
                ExampleFailure(403, as: .member, .POST, "/v1/plans/whatif", body: json(["scenario": "request", "region": "r1", "model": "A100-80GB", "gpus": 4])),
            ]),
        "GET /v1/forecasts": RouteExample(
            valid: fixed(.GET, "/v1/forecasts?limit=10"), status: 200, failures: [ExampleFailure(403, as: .member, .GET, "/v1/forecasts")]),
    ]

    static let estimates: [String: RouteExample] = [
        "POST /v1/estimates": RouteExample(
            valid: fixed(.POST, "/v1/estimates", ["kind": "training", "parameters": 70e9, "tokens": 2e12, "model": "H100-80GB", "gpus": 512, "zeroStage": 3]),
            status: 200,
            failures: [
                ExampleFailure(400, .POST, "/v1/estimates", body: json(["kind": "training", "parameters": 1e15, "tokens": 0, "model": "Z9"])),
                ExampleFailure(422, .POST, "/v1/estimates", body: json([
                    "kind": "inference", "p99Ms": 10, "peakQPS": 100, "loadTest": [["concurrency": 1, "p50Ms": 20, "p99Ms": 35, "qps": 48]],
                ])),
                ExampleFailure(403, as: Caller(.agent), .POST, "/v1/estimates", body: json(["kind": "inference", "p99Ms": 200, "peakQPS": 100, "loadTest": [["concurrency": 1, "p50Ms": 20, "p99Ms": 35, "qps": 48]]])),
            ]),
    ]

    static let profiles: [String: RouteExample] = [
        "GET /v1/notifications": RouteExample(
            valid: fixed(.GET, "/v1/notifications?limit=20"), status: 200, failures: [ExampleFailure(400, .GET, "/v1/notifications?limit=0")]),
        "GET /v1/profiles": RouteExample(
            valid: fixed(.GET, "/v1/profiles?pool=p1&class=large-memory"), status: 200,
            failures: [ExampleFailure(400, .GET, "/v1/profiles?class=fastest"), ExampleFailure(404, .GET, "/v1/profiles?pool=nope")]),
        "GET /v1/devices/{id}/profile": RouteExample(
            valid: { w, _ in request(.GET, "/v1/devices/\(w.node)%2Fgpu0/profile") }, status: 200,
            failures: [ExampleFailure(404) { w in request(.GET, "/v1/devices/\(w.node)%2Fgpu63/profile") }]),
        "GET /v1/predictions/accuracy": RouteExample(
            valid: fixed(.GET, "/v1/predictions/accuracy?since=0"), status: 200,
            failures: [ExampleFailure(403, as: .member, .GET, "/v1/predictions/accuracy"), ExampleFailure(400, .GET, "/v1/predictions/accuracy?since=soon")]),
    ]
}
