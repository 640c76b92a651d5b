import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// Retrying a creating call with the same `Idempotency-Key` returns the original answer and creates
/// nothing new; refused calls are security events in the audit log; a GET never writes.
@Suite("Idempotency, denied attempts, read-only GETs")
struct IdempotencyTests {
    @Test("a retried submission with the same key returns the same job; a different body with that key is 422")
    func retriedSubmission() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            let body = String(decoding: try JSONSerialization.data(withJSONObject: Fixture.job("train", runtime: 600)), as: UTF8.self)
            let first = try await api.send(.POST, "/v1/jobs", token: t.alice, body: body, headers: ["Idempotency-Key": "retry-1"])
            let again = try await api.send(.POST, "/v1/jobs", token: t.alice, body: body, headers: ["Idempotency-Key": "retry-1"])
            #expect(first.status == 201 && again.status == 201, "\(again.text)")
            let id = try #require(first.object["id"] as? String)
            #expect(again.object["id"] as? String == id)
            // The same job as YAML is the same request.
            let yaml = "name: train\npool: p1\nreplicas: 1\nruntimeSeconds: 600\nrequest: {gpus: 1, cpuMilli: 1000, memoryMiB: 1024}\n"
            let asYAML = try await api.send(.POST, "/v1/jobs", token: t.alice, body: yaml, contentType: "application/yaml", headers: ["Idempotency-Key": "retry-1"])
            #expect(asYAML.object["id"] as? String == id, "\(asYAML.text)")
            let jobs = try await api.get("/v1/jobs", token: t.alice).array
            #expect(jobs.count == 1)

            let changed = String(decoding: try JSONSerialization.data(withJSONObject: Fixture.job("other", runtime: 600)), as: UTF8.self)
            let misuse = try await api.send(.POST, "/v1/jobs", token: t.alice, body: changed, headers: ["Idempotency-Key": "retry-1"])
            #expect(misuse.status == 422 && misuse.errorField == "Idempotency-Key", "\(misuse.text)")
            // Keys are per caller: bob's "retry-1" is his own.
            let bobs = try await api.send(.POST, "/v1/jobs", token: t.bob, body: body, headers: ["Idempotency-Key": "retry-1"])
            #expect(bobs.status == 201 && bobs.object["id"] as? String != id)
            let bad = try await api.send(.POST, "/v1/jobs", token: t.alice, body: body, headers: ["Idempotency-Key": String(repeating: "k", count: 300)])
            #expect(bad.status == 400 && bad.errorField == "Idempotency-Key")
        }
    }

    @Test("tenant and user creation with a key: a retry answers 201 with the same object, not 409")
    func retriedTenancy() async throws {
        try await InProcessServer.with { api, _ in
            for _ in 0..<2 {
                let tenant = try await api.send(.POST, "/v1/tenants", token: Fixture.operatorToken, body: #"{"id": "acme"}"#, headers: ["Idempotency-Key": "t-1"])
                #expect(tenant.status == 201 && tenant.object["id"] as? String == "acme", "\(tenant.text)")
                let user = try await api.send(
                    .POST, "/v1/users", token: Fixture.operatorToken, body: #"{"id": "carol", "tenant": "acme", "roles": ["member"]}"#,
                    headers: ["Idempotency-Key": "u-1"])
                #expect(user.status == 201 && user.object["id"] as? String == "carol", "\(user.text)")
            }
            let plain = try await api.post("/v1/tenants", token: Fixture.operatorToken, json: ["id": "acme"])
            #expect(plain.status == 409)
        }
    }

    @Test("401 and 403 are recorded as security.denied with the actor, visible in reservoir audit")
    func deniedAttemptsAreAudited() async throws {
        let dir = try Executable.temporaryDirectory("reservoir-audit")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            #expect(try await api.get("/v1/jobs", token: "not-a-token").status == 401)
            #expect(try await api.post("/v1/tenants", token: t.alice, json: ["id": "mine"]).status == 403)
            let denied = try await api.get("/v1/audit?object=security", token: Fixture.operatorToken).array
            #expect(denied.contains { $0["action"] as? String == "security.denied" && $0["actor"] as? String == "anonymous" && ($0["object"] as? String ?? "").contains("GET /v1/jobs") })
            #expect(denied.contains { $0["actor"] as? String == "user:alice" && ($0["object"] as? String ?? "").contains("POST /v1/tenants") })
            #expect(!denied.contains { ($0["after"] as? String ?? "").contains("not-a-token") }, "the presented token must not be stored")
            let cli = try await runCLI(["audit", "--object", "security"], server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect(cli.status == 0 && cli.stdout.contains("security.denied") && cli.stdout.contains("user:alice"), "\(cli.stdout)")
        }
    }

    @Test("GET /v1/plans/capacity writes nothing; POST records the forecasts")
    func capacityGetIsReadOnly() async throws {
        let (reservoir, _) = try DemoTests.shortPlanningDemo()
        try await InProcessServer.with(reservoir) { api, _ in
            let auditBefore = try await api.get("/v1/audit?limit=1", token: Fixture.operatorToken).array.first?["id"] as? Int
            let get = try await api.send(.GET, "/v1/plans/capacity", token: Fixture.operatorToken, timeout: .seconds(600))
            #expect(get.status == 200, "\(get.text)")
            #expect(try await api.get("/v1/forecasts", token: Fixture.operatorToken).array.isEmpty)
            // The demo's background passes (leases, escalation, idle allocations) may write meanwhile; the GET itself writes nothing.
            let since = try await api.get("/v1/audit?limit=100", token: Fixture.operatorToken).array.filter { ($0["id"] as? Int ?? 0) > (auditBefore ?? 0) }
            #expect(since.allSatisfy { ($0["actor"] as? String ?? "").hasPrefix("system:") }, "\(since)")
            let post = try await api.send(.POST, "/v1/plans/capacity", token: Fixture.operatorToken, timeout: .seconds(600))
            #expect(post.status == 201)
            #expect(try await api.get("/v1/forecasts", token: Fixture.operatorToken).array.count == 9)
        }
    }
}
