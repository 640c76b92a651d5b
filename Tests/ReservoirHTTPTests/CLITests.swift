import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// The `reservoir` CLI against a live server: pools, submit, jobs --json, job explain.
@Suite("CLI against a live server")
struct CLITests {
    @Test("pools, submit examples/job.yaml, jobs --json, job explain, job cancel")
    func cliAgainstLiveServer() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let reservoir = try InProcessServer.makeReservoir(speed: 1)
        let logins = try reservoir.demo.seed(by: Principal(user: User(id: "admin", roles: [.operator_])))
        let member = try #require(logins.first { $0.user == "nlp-member" }?.token)
        let dir = try Executable.temporaryDirectory("reservoir-cli")
        defer { try? FileManager.default.removeItem(at: dir) }

        try await InProcessServer.with(reservoir) { api, _ in
            let server = api.base
            let pools = try await runCLI(["pools"], server: server, token: Fixture.operatorToken, directory: dir)
            #expect(pools.status == 0, "\(pools.stderr)")
            for pool in ["bj-training", "bj-inference", "bj-testing", "sh-training", "sh-mixed"] {
                #expect(pools.stdout.contains(pool), "pools output lacks \(pool): \(pools.stdout)")
            }
            let poolsJSON = try await runCLI(["pools", "--json"], server: server, token: Fixture.operatorToken, directory: dir)
            let parsed = try JSONSerialization.jsonObject(with: Data(poolsJSON.stdout.utf8)) as? [[String: Any]]
            #expect(parsed?.count == 5)

            let example = Executable.packageRoot.appendingPathComponent("examples/job.yaml").path
            let submitted = try await runCLI(["submit", example, "--json"], server: server, token: member, directory: dir)
            #expect(submitted.status == 0, "\(submitted.stderr)")
            let job = try #require(try JSONSerialization.jsonObject(with: Data(submitted.stdout.utf8)) as? [String: Any])
            let id = try #require(job["id"] as? String)
            #expect(job["name"] as? String == "llama-70b-finetune")
            #expect(job["tenant"] as? String == "nlp")

            let table = try await runCLI(["submit", example], server: server, token: member, directory: dir)
            #expect(table.status == 0 && table.stdout.contains("llama-70b-finetune"), "\(table.stdout)\(table.stderr)")

            let jobs = try await runCLI(["jobs", "--json"], server: server, token: member, directory: dir)
            #expect(jobs.status == 0)
            let list = try #require(try JSONSerialization.jsonObject(with: Data(jobs.stdout.utf8)) as? [[String: Any]])
            #expect(list.contains { $0["id"] as? String == id })
            #expect(list.allSatisfy { $0["tenant"] as? String == "nlp" })

            // Explain once the scheduler has placed it (speed 1: it runs for 30 minutes).
            let (state, _) = try await api.waitForJob(id, token: member) { $0 == "running" }
            #expect(state == "running")
            let explain = try await runCLI(["job", "explain", id], server: server, token: member, directory: dir)
            #expect(explain.status == 0, "\(explain.stderr)")
            #expect(explain.stdout.contains(id) && explain.stdout.contains("placed"), "\(explain.stdout)")
            let explainJSON = try await runCLI(["job", "explain", id, "--json"], server: server, token: member, directory: dir)
            let e = try JSONSerialization.jsonObject(with: Data(explainJSON.stdout.utf8)) as? [String: Any]
            #expect(e?["kind"] as? String == "placed")

            let cancel = try await runCLI(["job", "cancel", id], server: server, token: member, directory: dir)
            #expect(cancel.status == 0 && cancel.stdout.contains("cancelled"), "\(cancel.stdout)\(cancel.stderr)")

            // Errors reach the user with the server's message and a non-zero status.
            let denied = try await runCLI(["jobs"], server: server, token: "wrong", directory: dir)
            #expect(denied.status != 0)
            #expect((denied.stdout + denied.stderr).contains("401"))
        }
    }
}
