import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// `reservoir service …` against a live server: deploy from a file and from flags, list, show,
/// scale with a reason, history, capacity requests, delete; refusals as one line.
@Suite("Service CLI against a live server")
struct ServiceCLITests {
    @Test("service deploy -f examples/service.yaml | flags, list, show, scale, history, requests, delete")
    func serviceCommands() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let reservoir = try InProcessServer.makeReservoir(speed: 1)
        let logins = try reservoir.demo.seed(by: Principal(user: User(id: "admin", roles: [.operator_])))
        let member = try #require(logins.first { $0.user == "search-member" }?.token)
        let dir = try Executable.temporaryDirectory("reservoir-service-cli")
        defer { try? FileManager.default.removeItem(at: dir) }

        try await InProcessServer.with(reservoir) { api, _ in
            let server = api.base
            func cli(_ arguments: [String], token: String? = nil) async throws -> (status: Int32?, stdout: String, stderr: String) {
                try await runCLI(arguments, server: server, token: token ?? member, directory: dir)
            }
            let file = Executable.packageRoot.appendingPathComponent("examples/service.yaml").path
            let deployed = try await cli(["service", "deploy", "-f", file])
            #expect(deployed.status == 0 && deployed.stdout.contains("query-ranker"), "\(deployed.stdout)\(deployed.stderr)")

            let flags = try await cli([
                "service", "deploy", "--name", "embedder", "--pool", "bj-inference", "--model", "bge-large", "--gpus", "1", "--min", "1", "--max", "3",
                "--p99-ms", "100", "--peak-qps", "300", "--json",
            ])
            #expect(flags.status == 0, "\(flags.stderr)")
            let view = try #require(try JSONSerialization.jsonObject(with: Data(flags.stdout.utf8)) as? [String: Any])
            #expect((view["service"] as? [String: Any])?["tenant"] as? String == "search")
            #expect((view["service"] as? [String: Any])?["capacityQPS"] as? Double == 100)  // 300 peak / 3 max

            let list = try await cli(["service", "list"])
            #expect(list.status == 0 && list.stdout.contains("query-ranker") && list.stdout.contains("embedder"), "\(list.stdout)")
            let show = try await cli(["service", "show", "query-ranker"])
            #expect(show.status == 0 && show.stdout.contains("p99 ≤ 250 ms") && show.stdout.contains("estimate"), "\(show.stdout)")

            let scaled = try await cli(["service", "scale", "query-ranker", "--replicas", "4", "--reason", "launch rehearsal"])
            #expect(scaled.status == 0, "\(scaled.stderr)")
            let history = try await cli(["service", "history", "query-ranker"])
            #expect(history.status == 0, "\(history.stderr)")
            #expect(history.stdout.contains("deployed") && history.stdout.contains("manual") && history.stdout.contains("launch rehearsal"), "\(history.stdout)")
            #expect(history.stdout.contains("user:search-member"))

            let over = try await cli(["service", "scale", "query-ranker", "--replicas", "40", "--reason", "too many"])
            #expect(over.status != 0 && over.stderr.contains("replicas"), "\(over.stderr)")
            let bad = try await cli(["service", "deploy", "--name", "bad", "--pool", "bj-inference", "--model", "m", "--min", "3", "--max", "2", "--p99-ms", "10", "--peak-qps", "1"])
            #expect(bad.status != 0 && bad.stderr.contains("replicas.max"), "\(bad.stderr)")

            let requests = try await cli(["service", "requests"], token: Fixture.operatorToken)
            #expect(requests.status == 0, "\(requests.stderr)")

            let deleted = try await cli(["service", "delete", "embedder"])
            #expect(deleted.status == 0, "\(deleted.stderr)")
            let gone = try await cli(["service", "show", "embedder"])
            #expect(gone.status != 0 && gone.stderr.contains("no service embedder"), "\(gone.stderr)")
            let kept = try await cli(["service", "history", "embedder"])
            #expect(kept.status == 0 && kept.stdout.contains("deleted"), "\(kept.stdout)\(kept.stderr)")
        }
    }
}
