import Foundation
import ReservoirCore
import Testing

/// Day-two operations: disabling and deleting tenants, users and quotas (refused with 409 while
/// they hold unfinished work) and cancelling many jobs at once by filter.
@Suite("Day-two operations")
struct DayTwoTests {
    /// Beta (quota 6 of p1's 8 A100s) gets one 4-GPU job running for an hour and two queued behind its quota.
    static func busyBeta(_ api: API, _ t: Fixture.Tenancy) async throws -> (running: String, queued: [String]) {
        var ids: [String] = []
        for i in 0..<3 {
            let r = try await api.post("/v1/jobs", token: t.bob, json: Fixture.job("b\(i)", gpus: 4, runtime: 3600))
            try #require(r.status == 201, "\(r.text)")
            ids.append(try #require(r.object["id"] as? String))
        }
        let (state, _) = try await api.waitForJob(ids[0], token: t.bob) { $0 == "running" }
        try #require(state == "running")
        return (ids[0], Array(ids.dropFirst()))
    }

    @Test("a disabled tenant takes no jobs; a disabled user's token stops working; both come back when enabled")
    func disable() async throws {
        try await InProcessServer.with(speed: 1) { api, _ in
            let t = try await Fixture.setUp(api)
            let off = try await api.send(.PATCH, "/v1/tenants/alpha", token: Fixture.operatorToken, body: #"{"disabled": true}"#)
            #expect(off.status == 200 && off.object["disabled"] as? Bool == true, "\(off.text)")
            let refused = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("x"))
            #expect(refused.status == 409 && refused.errorMessage.contains("disabled"), "\(refused.text)")
            #expect(try await api.send(.PATCH, "/v1/tenants/alpha", token: Fixture.operatorToken, body: #"{"disabled": false}"#).status == 200)
            #expect(try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("x")).status == 201)

            #expect(try await api.send(.PATCH, "/v1/users/bob", token: Fixture.operatorToken, body: #"{"disabled": true}"#).status == 200)
            let locked = try await api.get("/v1/jobs", token: t.bob)
            #expect(locked.status == 401 && locked.errorMessage.contains("disabled"), "\(locked.text)")
            #expect(try await api.send(.PATCH, "/v1/users/bob", token: Fixture.operatorToken, body: #"{"disabled": false}"#).status == 200)
            #expect(try await api.get("/v1/jobs", token: t.bob).status == 200)
            let member = try await api.send(.PATCH, "/v1/tenants/beta", token: t.alice, body: #"{"disabled": true}"#)
            #expect(member.status == 403)
        }
    }

    @Test("deleting a tenant, user or quota with unfinished work is 409 with the reason; drained, it succeeds")
    func deleteRefusedWhileBusy() async throws {
        try await InProcessServer.with(speed: 1) { api, _ in
            let t = try await Fixture.setUp(api)
            _ = try await Self.busyBeta(api, t)
            let tenant = try await api.send(.DELETE, "/v1/tenants/beta", token: Fixture.operatorToken)
            #expect(tenant.status == 409 && tenant.errorMessage.contains("3 unfinished jobs"), "\(tenant.text)")
            let user = try await api.send(.DELETE, "/v1/users/bob", token: Fixture.operatorToken)
            #expect(user.status == 409 && user.errorMessage.contains("unfinished"), "\(user.text)")
            let quota = try await api.send(.DELETE, "/v1/quotas?tenant=beta&pool=p1", token: Fixture.operatorToken)
            #expect(quota.status == 409 && quota.errorMessage.contains("p1"), "\(quota.text)")

            let drained = try await api.post("/v1/jobs/cancel", token: Fixture.operatorToken, json: ["tenant": "beta"])
            #expect((drained.object["cancelled"] as? [String])?.count == 3, "\(drained.text)")
            #expect(try await api.send(.DELETE, "/v1/quotas?tenant=beta&pool=p1", token: Fixture.operatorToken).status == 204)
            #expect(try await api.get("/v1/quotas", token: Fixture.operatorToken).array.allSatisfy { $0["tenant"] as? String != "beta" })
            #expect(try await api.send(.DELETE, "/v1/users/bob", token: Fixture.operatorToken).status == 204)
            #expect(try await api.get("/v1/jobs", token: t.bob).status == 401)
            // Beta keeps its (cancelled) jobs for billing: deleting it is refused with the way out.
            let history = try await api.send(.DELETE, "/v1/tenants/beta", token: Fixture.operatorToken)
            #expect(history.status == 409 && history.errorMessage.contains("disable it instead"), "\(history.text)")
            // A tenant without history goes, with its users and quotas.
            _ = try await api.post("/v1/tenants", token: Fixture.operatorToken, json: ["id": "gamma"])
            _ = try await api.post("/v1/users", token: Fixture.operatorToken, json: ["id": "gus", "tenant": "gamma", "roles": ["member"]])
            #expect(try await api.send(.DELETE, "/v1/tenants/gamma", token: Fixture.operatorToken).status == 204)
            #expect(try await api.get("/v1/users", token: Fixture.operatorToken).array.allSatisfy { $0["id"] as? String != "gus" })
            #expect(try await api.send(.DELETE, "/v1/tenants/gamma", token: Fixture.operatorToken).status == 404)
            let audit = try await api.get("/v1/audit?object=tenants/gamma", token: Fixture.operatorToken).array
            #expect(audit.contains { $0["action"] as? String == "tenant.delete" && $0["actor"] as? String == "user:admin" })
        }
    }

    @Test("jobs cancel by filter: members only within their tenant; reservoir jobs cancel --tenant --state")
    func bulkCancel() async throws {
        let dir = try Executable.temporaryDirectory("reservoir-cancel")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with(speed: 1) { api, _ in
            let t = try await Fixture.setUp(api)
            let beta = try await Self.busyBeta(api, t)
            let other = try await api.post("/v1/jobs/cancel", token: t.alice, json: ["tenant": "beta"])
            #expect(other.status == 403, "\(other.text)")
            let mine = try await api.post("/v1/jobs/cancel", token: t.alice, json: ["state": "queued"])
            #expect(mine.status == 200 && (mine.object["cancelled"] as? [String])?.isEmpty == true, "alice has no queued jobs: \(mine.text)")
            let noFilter = try await api.post("/v1/jobs/cancel", token: Fixture.operatorToken, json: [:])
            #expect(noFilter.status == 400 && noFilter.errorField == "filter")
            let finished = try await api.post("/v1/jobs/cancel", token: Fixture.operatorToken, json: ["state": "succeeded"])
            #expect(finished.status == 400 && finished.errorField == "state")

            let cli = try await runCLI(["jobs", "cancel", "--tenant", "beta", "--state", "queued"], server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect(cli.status == 0 && cli.stdout.contains("cancelled 2 jobs"), "\(cli.stdout)\(cli.stderr)")
            for id in beta.queued { #expect(try await api.get("/v1/jobs/\(id)", token: t.bob).object["state"] as? String == "cancelled") }
            #expect(try await api.get("/v1/jobs/\(beta.running)", token: t.bob).object["state"] as? String == "running")
            let listed = try await runCLI(["jobs", "--state", "running", "--json"], server: api.base, token: t.bob, directory: dir)
            #expect(listed.status == 0 && listed.stdout.contains(beta.running), "\(listed.stderr)")
        }
    }

    @Test("CLI: tenants disable/enable/delete, users disable/delete, quota delete")
    func cli() async throws {
        let dir = try Executable.temporaryDirectory("reservoir-daytwo")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with(speed: 1) { api, _ in
            _ = try await Fixture.setUp(api)
            func run(_ args: [String]) async throws -> (status: Int32?, stdout: String, stderr: String) {
                try await runCLI(args, server: api.base, token: Fixture.operatorToken, directory: dir)
            }
            let disabled = try await run(["tenants", "disable", "alpha"])
            #expect(disabled.status == 0 && disabled.stdout.contains("yes"), "\(disabled.stdout)\(disabled.stderr)")
            #expect(try await run(["tenants", "enable", "alpha"]).status == 0)
            #expect(try await run(["users", "disable", "alice"]).status == 0)
            #expect(try await run(["quota", "delete", "--tenant", "alpha", "--pool", "p1"]).status == 0)
            #expect(try await run(["users", "delete", "alice"]).status == 0)
            _ = try await run(["tenants", "create", "gamma"])
            let deleted = try await run(["tenants", "delete", "gamma"])
            #expect(deleted.status == 0 && deleted.stdout.contains("deleted tenants/gamma"), "\(deleted.stdout)")
            let again = try await run(["tenants", "delete", "gamma"])
            #expect(again.status != 0 && (again.stdout + again.stderr).contains("404"))
        }
    }
}
