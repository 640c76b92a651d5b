import Foundation
import NIOHTTP1
import ReservoirHTTP
import Testing

/// Every kind of bad input gets a 4xx JSON error naming the field or reason, and changes nothing.
@Suite("End to end: bad input and tenant isolation")
struct BadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var method: HTTPMethod = .POST
        var path: String = "/v1/jobs"
        var token: Who = .alice
        var body: String?
        var contentType = "application/json"
        var status: Int
        var code: String
        var field: String?
        var messageContains: String?

        enum Who: Sendable { case none, wrong, basic, op, alice }
    }

    static func job(_ request: String, extra: String = "") -> String {
        #"{"name": "bad", "pool": "p1", "runtimeSeconds": 5\#(extra), "request": \#(request)}"#
    }

    static let cases: [Case] = [
        Case(description: "malformed JSON", body: #"{"name": "x", "request": {"gpus": 1"#, status: 400, code: "invalid_argument", field: "body", messageContains: "malformed"),
        Case(description: "empty body", body: "  ", status: 400, code: "invalid_argument", field: "body"),
        Case(description: "malformed YAML", body: "name: [unclosed\nrequest: {gpus: 1\n", contentType: "application/yaml", status: 400, code: "invalid_argument", field: "body", messageContains: "malformed YAML at line "),
        Case(description: "malformed JSON says where", body: "{\n \"name\": \"x\",,\n \"pool\": \"p1\"}", status: 400, code: "invalid_argument", field: "body", messageContains: "malformed JSON at line 2, column 14"),
        Case(description: "wrong type (gpus as string)", body: job(#"{"gpus": "two"}"#), status: 400, code: "invalid_argument", field: "request.gpus", messageContains: "wrong type"),
        Case(description: "wrong type in YAML", body: "name: y\npool: p1\nrequest:\n  gpus: lots\n", contentType: "application/yaml", status: 400, code: "invalid_argument", field: "request.gpus"),
        Case(description: "missing required field", body: #"{"pool": "p1", "request": {"gpus": 1}}"#, status: 400, code: "invalid_argument", field: "name"),
        Case(description: "unknown priority class", body: job(#"{"gpus": 1}"#, extra: #", "priority": "P9""#), status: 400, code: "invalid_argument", field: "priority", messageContains: "'P9' is not valid; expected one of: P0, P1, P2, P3"),
        Case(description: "unknown workload kind", body: job(#"{"gpus": 1}"#, extra: #", "kind": "serving""#), status: 400, code: "invalid_argument", field: "kind", messageContains: "expected one of: training, inference, test, batch"),
        Case(description: "body is an array, not an object", body: "[]", status: 400, code: "invalid_argument", field: "body", messageContains: "wrong type"),
        Case(description: "YAML body is a list", body: "- a\n- b\n", contentType: "application/yaml", status: 400, code: "invalid_argument", field: "body"),
        Case(description: "request is a list", body: #"{"name": "x", "pool": "p1", "request": []}"#, status: 400, code: "invalid_argument", field: "request"),
        // Foundation's JSONDecoder on Linux reports a non-integral number as invalid JSON without its path,
        // so the error names the body rather than `replicas`.
        Case(description: "fractional replicas", body: job(#"{"gpus": 1}"#, extra: #", "replicas": 1.5"#), status: 400, code: "invalid_argument", field: "body"),
        Case(description: "models of the wrong type", body: job(#"{"gpus": 1, "models": 5}"#), status: 400, code: "invalid_argument", field: "request.models"),
        Case(description: "empty name", body: #"{"name": "", "pool": "p1", "request": {"gpus": 1}}"#, status: 400, code: "invalid_argument", field: "name"),
        Case(description: "gang larger than the job", body: job(#"{"gpus": 1}"#, extra: #", "minMembers": 5"#), status: 400, code: "invalid_argument", field: "minMembers"),
        Case(description: "body too large", body: String(repeating: "a", count: 2_000_000), status: 413, code: "invalid_argument", messageContains: "limit of 1 MiB"),
        Case(description: "unknown pool", body: #"{"name": "x", "pool": "nowhere", "request": {"gpus": 1}}"#, status: 404, code: "not_found", field: "pool"),
        Case(description: "unknown model", body: job(#"{"gpus": 1, "models": "V100M16|Nope"}"#), status: 404, code: "not_found", field: "request.models"),
        Case(description: "unknown tenant (operator submits)", token: .op, body: #"{"name": "x", "tenant": "ghost", "pool": "p1", "request": {"gpus": 1}}"#, status: 404, code: "not_found", field: "tenant"),
        Case(description: "member submits for another tenant", body: #"{"name": "x", "tenant": "beta", "pool": "p1", "request": {"gpus": 1}}"#, status: 403, code: "permission_denied", field: "tenant"),
        Case(description: "negative GPUs", body: job(#"{"gpus": -1}"#), status: 400, code: "invalid_argument", field: "request.gpus"),
        Case(description: "absurd GPUs per replica", body: job(#"{"gpus": 100000}"#), status: 400, code: "invalid_argument", field: "request.gpus"),
        Case(description: "negative CPU", body: job(#"{"gpus": 1, "cpuMilli": -5}"#), status: 400, code: "invalid_argument", field: "request.cpuMilli"),
        Case(description: "absurd memory", body: job(#"{"gpus": 1, "memoryMiB": 999999999999}"#), status: 400, code: "invalid_argument", field: "request.memoryMiB"),
        Case(description: "zero replicas", body: job(#"{"gpus": 1}"#, extra: #", "replicas": 0"#), status: 400, code: "invalid_argument", field: "replicas"),
        Case(description: "absurd replicas", body: job(#"{"gpus": 1}"#, extra: #", "replicas": 99999999"#), status: 400, code: "invalid_argument", field: "replicas"),
        Case(description: "negative runtime", body: #"{"name": "x", "pool": "p1", "runtimeSeconds": -1, "request": {"gpus": 1}}"#, status: 400, code: "invalid_argument", field: "runtimeSeconds"),
        Case(description: "GPU share above one GPU", body: job(#"{"gpus": 1, "gpuMilli": 1500}"#), status: 400, code: "invalid_argument", field: "request.gpuMilli"),
        Case(description: "job asks for nothing", body: job(#"{"gpus": 0, "cpuMilli": 0, "memoryMiB": 0}"#), status: 400, code: "invalid_argument", field: "request"),
        Case(description: "job larger than any node", body: job(#"{"gpus": 8}"#), status: 422, code: "unsatisfiable", field: "request", messageContains: "largest node"),
        Case(description: "job needs more CPU than any node", body: job(#"{"gpus": 1, "cpuMilli": 64000}"#), status: 422, code: "unsatisfiable", field: "request"),
        Case(description: "quota below zero (guaranteed)", method: .PUT, path: "/v1/quotas", token: .op,
             body: #"{"tenant": "alpha", "pool": "p1", "guaranteed": -1, "limit": 4}"#, status: 400, code: "invalid_argument", field: "guaranteed"),
        Case(description: "quota below zero (limit)", method: .PUT, path: "/v1/quotas", token: .op,
             body: #"{"tenant": "alpha", "pool": "p1", "guaranteed": 0, "limit": -3}"#, status: 400, code: "invalid_argument", field: "limit"),
        Case(description: "quota limit below guarantee", method: .PUT, path: "/v1/quotas", token: .op,
             body: #"{"tenant": "alpha", "pool": "p1", "guaranteed": 5, "limit": 1}"#, status: 400, code: "invalid_argument", field: "limit"),
        Case(description: "absurd quota", method: .PUT, path: "/v1/quotas", token: .op,
             body: #"{"tenant": "alpha", "pool": "p1", "guaranteed": 1, "limit": 1e12}"#, status: 400, code: "invalid_argument", field: "limit"),
        Case(description: "quota with wrong type", method: .PUT, path: "/v1/quotas", token: .op,
             body: #"{"tenant": "alpha", "pool": "p1", "guaranteed": "lots", "limit": 4}"#, status: 400, code: "invalid_argument", field: "guaranteed"),
        Case(description: "quota for unknown tenant", method: .PUT, path: "/v1/quotas", token: .op,
             body: #"{"tenant": "ghost", "pool": "p1", "guaranteed": 1, "limit": 2}"#, status: 404, code: "not_found", field: "tenant"),
        Case(description: "quota for unknown pool", method: .PUT, path: "/v1/quotas", token: .op,
             body: #"{"tenant": "alpha", "pool": "nowhere", "guaranteed": 1, "limit": 2}"#, status: 404, code: "not_found", field: "pool"),
        Case(description: "quota for unknown model", method: .PUT, path: "/v1/quotas", token: .op,
             body: #"{"tenant": "alpha", "pool": "p1", "model": "Z9000", "guaranteed": 1, "limit": 2}"#, status: 404, code: "not_found", field: "model"),
        Case(description: "user in unknown tenant", method: .POST, path: "/v1/users", token: .op,
             body: #"{"id": "zed", "tenant": "ghost", "roles": ["member"]}"#, status: 404, code: "not_found", field: "tenant"),
        Case(description: "user with unknown role", method: .POST, path: "/v1/users", token: .op,
             body: #"{"id": "zed", "tenant": "alpha", "roles": ["wizard"]}"#, status: 400, code: "invalid_argument", field: "roles[0]"),
        Case(description: "tenant with a bad id", method: .POST, path: "/v1/tenants", token: .op,
             body: #"{"id": "../etc"}"#, status: 400, code: "invalid_argument", field: "id"),
        Case(description: "duplicate tenant", method: .POST, path: "/v1/tenants", token: .op,
             body: #"{"id": "alpha"}"#, status: 409, code: "already_exists"),
        Case(description: "token for unknown user", method: .POST, path: "/v1/tokens", token: .op,
             body: #"{"user": "nobody"}"#, status: 404, code: "not_found"),
        Case(description: "bad inventory import", method: .POST, path: "/v1/import", token: .op,
             body: "regions:\n  - id: r9\n    clusters:\n      - id: c9\n        pools:\n          - id: p9\n            nodes:\n              - {name: n, model: Z9000, gpus: 2, cpu: 8, memoryGiB: 8}\n",
             contentType: "application/yaml", status: 404, code: "not_found", field: "nodes.n.model"),
        Case(description: "tenant with a negative weight", method: .POST, path: "/v1/tenants", token: .op,
             body: #"{"id": "heavy", "weight": -1}"#, status: 400, code: "invalid_argument", field: "weight"),
        Case(description: "device state allocated is derived", method: .PATCH, path: "/v1/nodes/a100-01/devices/0", token: .op,
             body: #"{"state": "allocated"}"#, status: 400, code: "invalid_argument", field: "state"),
        Case(description: "unknown device", method: .PATCH, path: "/v1/nodes/a100-01/devices/99", token: .op,
             body: #"{"state": "maintenance"}"#, status: 404, code: "not_found", field: "device"),
        Case(description: "unknown node state", method: .PATCH, path: "/v1/nodes/a100-01", token: .op,
             body: #"{"state": "asleep"}"#, status: 400, code: "invalid_argument", field: "state"),
        Case(description: "unknown node", method: .PATCH, path: "/v1/nodes/nowhere", token: .op,
             body: #"{"state": "cordoned"}"#, status: 404, code: "not_found"),
        // Unknown keys are refused in every body, naming them, with the key that was probably meant.
        Case(description: "misspelled job keys", body: #"{"name": "x", "pool": "p1", "replica": 2, "request": {"gpu": 4}}"#, status: 400, code: "invalid_argument",
             field: "replica", messageContains: "unknown keys: replica (did you mean 'replicas'?), request.gpu (did you mean 'gpus'?)"),
        Case(description: "misspelled job keys in YAML", body: "name: x\npool: p1\nreplica: 2\nrequest:\n  gpu: 4\n", contentType: "application/yaml", status: 400,
             code: "invalid_argument", field: "replica", messageContains: "did you mean 'replicas'?"),
        Case(description: "a request key at the top of a job", body: #"{"name": "x", "pool": "p1", "gpus": 1, "request": {"cpuMilli": 100}}"#, status: 400,
             code: "invalid_argument", field: "gpus", messageContains: "did you mean 'request.gpus'?"),
        Case(description: "job asks for no GPUs and states no CPU", body: job(#"{"memoryMiB": 1024}"#), status: 400, code: "invalid_argument", field: "request", messageContains: "cpuMilli"),
        Case(description: "misspelled required key", body: #"{"nmae": "x", "pool": "p1", "request": {"gpus": 1}}"#, status: 400, code: "invalid_argument", field: "nmae", messageContains: "did you mean 'name'?"),
        Case(description: "unknown tenant key", method: .POST, path: "/v1/tenants", token: .op, body: #"{"id": "gamma", "wieght": 2}"#, status: 400, code: "invalid_argument", field: "wieght", messageContains: "did you mean 'weight'?"),
        Case(description: "unknown user key", method: .POST, path: "/v1/users", token: .op, body: #"{"id": "zed", "tenant": "alpha", "role": ["member"]}"#, status: 400, code: "invalid_argument", field: "role", messageContains: "did you mean 'roles'?"),
        Case(description: "unknown quota key", method: .PUT, path: "/v1/quotas", token: .op, body: #"{"tenant": "alpha", "pool": "p1", "guaranteed": 1, "limit": 2, "modle": "T4"}"#, status: 400, code: "invalid_argument", field: "modle", messageContains: "did you mean 'model'?"),
        Case(description: "unknown node key in an import", method: .POST, path: "/v1/import", token: .op,
             body: "regions:\n  - id: r9\n    clusters:\n      - id: c9\n        pools:\n          - id: p9\n            nodes:\n              - {name: n, cnt: 2, model: T4, gpus: 2, cpu: 8, memoryGiB: 8}\n",
             contentType: "application/yaml", status: 400, code: "invalid_argument", field: "regions[0].clusters[0].pools[0].nodes[0].cnt", messageContains: "did you mean 'count'?"),
        Case(description: "unknown what-if key", method: .POST, path: "/v1/plans/whatif", token: .op, body: #"{"scenario": "surge", "model": "T4", "factr": 2}"#, status: 400, code: "invalid_argument", field: "factr", messageContains: "did you mean 'factor'?"),
        Case(description: "unknown node change key", method: .PATCH, path: "/v1/nodes/a100-01", token: .op, body: #"{"state": "cordoned", "reason": "x"}"#, status: 400, code: "invalid_argument", field: "reason"),
        // Sizes are bytes; identifiers are ASCII; collections are bounded.
        Case(description: "600 KB job name of one character", body: #"{"name": "a\#(String(repeating: "\u{0301}", count: 300_000))", "pool": "p1", "request": {"gpus": 1}}"#, status: 400, code: "invalid_argument", field: "name", messageContains: "200 bytes"),
        Case(description: "job name with a direction override", body: #"{"name": "gpt\u202Etxt", "pool": "p1", "request": {"gpus": 1}}"#, status: 400, code: "invalid_argument", field: "name", messageContains: "U+202E"),
        Case(description: "tenant id with a Cyrillic homoglyph", method: .POST, path: "/v1/tenants", token: .op, body: #"{"id": "\u0430lpha"}"#, status: 400, code: "invalid_argument", field: "id", messageContains: "lowercase ASCII"),
        Case(description: "tenant id with NUL", method: .POST, path: "/v1/tenants", token: .op, body: #"{"id": "gam\u0000ma"}"#, status: 400, code: "invalid_argument", field: "id"),
        Case(description: "tenant id with a direction override", method: .POST, path: "/v1/tenants", token: .op, body: #"{"id": "gamma\u202E"}"#, status: 400, code: "invalid_argument", field: "id"),
        Case(description: "uppercase tenant id", method: .POST, path: "/v1/tenants", token: .op, body: #"{"id": "Gamma"}"#, status: 400, code: "invalid_argument", field: "id"),
        Case(description: "tenant name with NUL", method: .POST, path: "/v1/tenants", token: .op, body: #"{"id": "gamma", "name": "Gam\u0000ma"}"#, status: 400, code: "invalid_argument", field: "name"),
        Case(description: "operator named with a Cyrillic a", method: .POST, path: "/v1/users", token: .op, body: #"{"id": "\u0430dmin", "roles": ["operator"]}"#, status: 400, code: "invalid_argument", field: "id"),
        Case(description: "node selector without bound", body: job(#"{"gpus": 1, "nodeSelector": {\#((0..<100).map { "\"k\($0)\": \"v\"" }.joined(separator: ", "))}}"#), status: 400, code: "invalid_argument", field: "request.nodeSelector", messageContains: "at most 64"),
        Case(description: "pool id with a homoglyph in an import", method: .POST, path: "/v1/import", token: .op,
             body: "regions:\n  - id: r9\n    clusters:\n      - id: c9\n        pools:\n          - id: p\u{0455}\n",
             contentType: "application/yaml", status: 400, code: "invalid_argument", field: "regions[0].clusters[0].pools[0].id"),
        Case(description: "an import that expands to too many nodes", method: .POST, path: "/v1/import", token: .op,
             body: "regions:\n  - id: r9\n    clusters:\n      - id: c9\n        pools:\n          - id: p9\n            nodes:\n" + (0..<6).map { "              - {name: n\($0), count: 10000, cpu: 8, memoryGiB: 8}\n" }.joined(),
             contentType: "application/yaml", status: 400, code: "invalid_argument", field: "regions[0].clusters[0].pools[0]", messageContains: "more than 50000 nodes"),
        Case(description: "not a bearer token", method: .GET, path: "/v1/pools", token: .basic, status: 401, code: "unauthenticated", field: "Authorization"),
        Case(description: "missing token", token: .none, body: job(#"{"gpus": 1}"#), status: 401, code: "unauthenticated", field: "Authorization"),
        Case(description: "wrong token", token: .wrong, body: job(#"{"gpus": 1}"#), status: 401, code: "unauthenticated"),
        Case(description: "wrong token on a read", method: .GET, path: "/v1/pools", token: .wrong, status: 401, code: "unauthenticated"),
        Case(description: "member creates a tenant", method: .POST, path: "/v1/tenants", body: #"{"id": "mine"}"#, status: 403, code: "permission_denied"),
        Case(description: "member sets a quota", method: .PUT, path: "/v1/quotas", body: #"{"tenant": "alpha", "pool": "p1", "guaranteed": 8, "limit": 8}"#, status: 403, code: "permission_denied"),
        Case(description: "member creates a user", method: .POST, path: "/v1/users", body: #"{"id": "mallory", "tenant": "alpha", "roles": ["operator"]}"#, status: 403, code: "permission_denied"),
        Case(description: "member imports inventory", method: .POST, path: "/v1/import", body: "regions: []\n", contentType: "application/yaml", status: 403, code: "permission_denied"),
        Case(description: "member submits P0", body: job(#"{"gpus": 1}"#, extra: #", "priority": "P0""#), status: 403, code: "permission_denied", field: "priority"),
        Case(description: "unknown job", method: .GET, path: "/v1/jobs/job-999999", status: 404, code: "not_found", field: "id"),
        Case(description: "bad state filter", method: .GET, path: "/v1/jobs?state=sleeping", status: 400, code: "invalid_argument", field: "state"),
        Case(description: "bad limit", method: .GET, path: "/v1/jobs?limit=many", status: 400, code: "invalid_argument", field: "limit"),
        Case(description: "no such route", method: .GET, path: "/v1/nothing-here", status: 404, code: "not_found", messageContains: "no route"),
    ]

    @Test("each bad request gets a 4xx JSON error naming the field and changes nothing")
    func badInput() async throws {
        try await InProcessServer.with { api, reservoir in
            let t = try await Fixture.setUp(api)
            let op = Fixture.operatorToken
            // One accepted job, so "nothing changed" is checked against a non-empty state; let it finish.
            let ok = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("ok"))
            #expect(ok.status == 201)
            _ = try await api.waitForJob(try #require(ok.object["id"] as? String), token: t.alice) { $0 == "succeeded" }

            let jobsBefore = try await api.get("/v1/jobs?limit=1000", token: op).text
            let auditBefore = try reservoir.store.auditEntries(object: nil, tenant: nil, limit: 1_000_000).filter { $0.action != "security.denied" }
            let quotasBefore = try await api.get("/v1/quotas", token: op).text
            let tenantsBefore = try await api.get("/v1/tenants", token: op).text
            let usersBefore = try await api.get("/v1/users", token: op).text
            let poolsBefore = try await api.get("/v1/pools", token: op).text

            for c in Self.cases {
                let token: String? = switch c.token {
                case .none: nil
                case .wrong: "rsv_not-a-real-token"
                case .basic: nil
                case .op: op
                case .alice: t.alice
                }
                let r = c.token == .basic
                    ? try await api.send(c.method, c.path, token: nil, body: c.body, contentType: c.contentType, headers: ["Authorization": "Basic YWRtaW46YWRtaW4="])
                    : try await api.send(c.method, c.path, token: token, body: c.body, contentType: c.contentType)
                #expect(r.status == c.status, "\(c.description): status \(r.status) \(r.text)")
                #expect((400..<500).contains(r.status), "\(c.description): not a 4xx")
                #expect(r.errorCode == c.code, "\(c.description): code in \(r.text)")
                #expect(!r.errorMessage.isEmpty, "\(c.description): no message in \(r.text)")
                if let field = c.field { #expect(r.errorField == field, "\(c.description): field in \(r.text)") }
                if let m = c.messageContains { #expect(r.errorMessage.contains(m), "\(c.description): message \(r.errorMessage)") }
            }

            #expect(try await api.get("/v1/jobs?limit=1000", token: op).text == jobsBefore, "bad input changed the jobs")
            // Refused requests (401/403) are recorded as security events; nothing else may be written.
            let changes = try reservoir.store.auditEntries(object: nil, tenant: nil, limit: 1_000_000).filter { $0.action != "security.denied" }
            #expect(changes == auditBefore, "bad input was audited as a change")
            #expect(try await api.get("/v1/quotas", token: op).text == quotasBefore)
            #expect(try await api.get("/v1/tenants", token: op).text == tenantsBefore)
            #expect(try await api.get("/v1/users", token: op).text == usersBefore)
            #expect(try await api.get("/v1/pools", token: op).text == poolsBefore)
        }
    }

    @Test("a member of tenant A cannot list, read, explain, re-prioritise or cancel tenant B's jobs; audit is filtered")
    func tenantIsolation() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            // Beta's job waits forever (no node has its label), so it stays cancellable.
            var secret = Fixture.job("beta-secret", gpus: 2, replicas: 2, runtime: 100)
            secret["request"] = ["gpus": 2, "cpuMilli": 1000, "memoryMiB": 1024, "nodeSelector": ["zone": "nowhere"]]
            let theirs = try await api.post("/v1/jobs", token: t.bob, json: secret)
            #expect(theirs.status == 201)
            let theirID = try #require(theirs.object["id"] as? String)
            let mine = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("alpha-own"))
            let myID = try #require(mine.object["id"] as? String)

            let list = try await api.get("/v1/jobs?limit=1000", token: t.alice)
            let ids = list.array.compactMap { $0["id"] as? String }
            #expect(ids == [myID], "alice sees \(ids)")
            #expect(list.array.allSatisfy { $0["tenant"] as? String == "alpha" })
            let queued = try await api.get("/v1/jobs?state=queued", token: t.alice)
            #expect(!queued.text.contains(theirID))

            for (method, path) in [(HTTPMethod.GET, "/v1/jobs/\(theirID)"), (.GET, "/v1/jobs/\(theirID)/explain"), (.GET, "/v1/jobs/\(theirID)/events"),
                                   (.POST, "/v1/jobs/\(theirID)/cancel")] {
                let r = try await api.send(method, path, token: t.alice)
                #expect(r.status == 404, "\(method) \(path): \(r.status) \(r.text)")
                #expect(r.errorCode == "not_found" && r.errorField == "id")
                #expect(!r.text.contains("beta-secret"))
            }
            let patch = try await api.send(.PATCH, "/v1/jobs/\(theirID)", token: t.alice, body: #"{"priority": "P1"}"#)
            #expect(patch.status == 404)

            // Beta's job is untouched.
            let check = try await api.get("/v1/jobs/\(theirID)", token: t.bob)
            #expect(check.object["state"] as? String == "queued")
            #expect(check.object["priority"] as? String == "P2")

            // Audit: alice sees only alpha's entries; the operator sees both.
            let audit = try await api.get("/v1/audit?limit=1000", token: t.alice)
            #expect(audit.status == 200)
            #expect(!audit.array.isEmpty)
            #expect(audit.array.allSatisfy { $0["tenant"] as? String == "alpha" }, "\(audit.text)")
            #expect(!audit.text.contains(theirID) && !audit.text.contains("beta-secret"))
            let filtered = try await api.get("/v1/audit?object=jobs/\(theirID)", token: t.alice)
            #expect(filtered.array.isEmpty)
            let all = try await api.get("/v1/audit?limit=1000", token: Fixture.operatorToken)
            #expect(all.text.contains(theirID) && all.text.contains(myID))

            // Tenants, quotas and users are scoped too.
            let tenants = try await api.get("/v1/tenants", token: t.alice)
            #expect(tenants.array.compactMap { $0["id"] as? String } == ["alpha"])
            let quotas = try await api.get("/v1/quotas", token: t.alice)
            #expect(quotas.array.allSatisfy { $0["tenant"] as? String == "alpha" })
            let users = try await api.get("/v1/users", token: t.alice)
            #expect(users.array.compactMap { $0["id"] as? String } == ["alice"])

            // The owner can cancel.
            let cancel = try await api.send(.POST, "/v1/jobs/\(theirID)/cancel", token: t.bob)
            #expect(cancel.status == 200 && cancel.object["state"] as? String == "cancelled")
        }
    }
}
