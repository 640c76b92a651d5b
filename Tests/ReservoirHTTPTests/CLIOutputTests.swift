import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// What people read from the CLI: one clean line per failure, ISO 8601 times, durations for
/// `--since`, money with its currency, truncated lists that say so, quota and node usage, and
/// `/metrics` with help text.
@Suite("CLI output for people")
struct CLIOutputTests {
    static var isoTime: Regex<Substring> { #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/# }
    /// An epoch double as the tables printed it before (`1764825365.123`) or a long fraction (`0.008333333333333333`).
    static var rawNumber: Regex<Substring> { #/\b\d{9,10}\.\d+|\d\.\d{4,}/# }

    @Test("missing file, refused connection and server errors: one line `reservoir: …` each, exit status 1")
    func errorLines() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-cli-errors")
        defer { try? FileManager.default.removeItem(at: dir) }

        let started = Date()
        let refused = try await runCLI(["jobs"], server: "http://127.0.0.1:9", token: "t", directory: dir)
        #expect(refused.status == 1)
        #expect(refused.stderr == "reservoir: cannot connect to http://127.0.0.1:9 (connection refused); is the server running? set RESERVOIR_SERVER or --server\n")
        #expect(Date().timeIntervalSince(started) < 10, "a refused connection is reported at once, not after the request timeout")

        try await InProcessServer.with { api, _ in
            let missing = try await runCLI(["submit", "examples/nope.yaml"], server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect(missing.status == 1)
            #expect(missing.stderr == "reservoir: cannot read examples/nope.yaml: no such file\n", "\(missing.stderr)")

            let notFound = try await runCLI(["job", "show", "job-000999"], server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect(notFound.status == 1)
            #expect(notFound.stderr.hasPrefix("reservoir: 404 not_found: ") && notFound.stderr.contains("job-000999"), "\(notFound.stderr)")
            #expect(notFound.stderr.split(separator: "\n").count == 1 && !notFound.stderr.contains("Error:"), "\(notFound.stderr)")

            let denied = try await runCLI(["jobs"], server: api.base, token: "wrong", directory: dir)
            #expect(denied.status == 1 && denied.stderr.hasPrefix("reservoir: 401 unauthenticated: "), "\(denied.stderr)")
        }
    }

    @Test("jobs: ISO times, --since 1h, and '2 of 3 shown; --limit N or --all for more' when cut; audit and events in ISO 8601")
    func listsForPeople() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-cli-lists")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with { api, _ in
            let tenancy = try await Fixture.setUp(api)
            var ids: [String] = []
            for i in 0..<3 {
                let r = try await api.post("/v1/jobs", token: tenancy.alice, json: Fixture.job("j\(i)", runtime: 60))
                try #require(r.status == 201, "\(r.text)")
                ids.append(try #require(r.object["id"] as? String))
            }
            func cli(_ args: [String], token: String = tenancy.alice) async throws -> (status: Int32?, stdout: String, stderr: String) {
                try await runCLI(args, server: api.base, token: token, directory: dir)
            }

            let cut = try await cli(["jobs", "--limit", "2"])
            #expect(cut.status == 0, "\(cut.stderr)")
            #expect(cut.stdout.contains("2 of 3 shown; --limit N or --all for more"), "\(cut.stdout)")
            let all = try await cli(["jobs", "--all"])
            #expect(all.status == 0 && ids.allSatisfy(all.stdout.contains) && !all.stdout.contains(" shown"), "\(all.stdout)")
            let json = try await cli(["jobs", "--limit", "2", "--json"])
            #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])?.count == 2, "--json stays a plain array")

            let recent = try await cli(["jobs", "--since", "1h", "--json"])
            #expect((try JSONSerialization.jsonObject(with: Data(recent.stdout.utf8)) as? [[String: Any]])?.count == 3, "\(recent.stdout)\(recent.stderr)")
            let future = try await cli(["jobs", "--since", "2999-01-01", "--json"])
            #expect((try JSONSerialization.jsonObject(with: Data(future.stdout.utf8)) as? [[String: Any]])?.isEmpty == true, "\(future.stdout)\(future.stderr)")
            let badSince = try await cli(["jobs", "--since", "2x"])
            #expect(badSince.status != 0 && badSince.stderr.contains("--since"))

            let audit = try await cli(["audit", "--since", "30m"], token: Fixture.operatorToken)
            #expect(audit.status == 0, "\(audit.stderr)")
            #expect(audit.stdout.contains(Self.isoTime), "\(audit.stdout)")
            #expect(!audit.stdout.contains(Self.rawNumber), "\(audit.stdout)")
            let noAudit = try await cli(["audit", "--since", "2999-01-01T00:00:00Z", "--json"], token: Fixture.operatorToken)
            #expect((try JSONSerialization.jsonObject(with: Data(noAudit.stdout.utf8)) as? [[String: Any]])?.isEmpty == true, "\(noAudit.stdout)")

            let events = try await cli(["job", "events", ids[0]])
            #expect(events.status == 0 && events.stdout.contains(Self.isoTime) && !events.stdout.contains(Self.rawNumber), "\(events.stdout)")

            let series = try await cli(["series", "--since", "2h"], token: Fixture.operatorToken)
            #expect(series.status == 0 && series.stdout.contains("IN_USE") && series.stdout.contains(Self.isoTime), "\(series.stdout)\(series.stderr)")
        }
    }

    @Test("usage shows GPU-hours per project, rounded, the open long run included; quota shows used beside guaranteed and limit; nodes show GPUs used and free")
    func usageQuotaNodes() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-cli-usage")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with { api, _ in
            let tenancy = try await Fixture.setUp(api)
            func cli(_ args: [String], token: String = Fixture.operatorToken) async throws -> (status: Int32?, stdout: String, stderr: String) {
                try await runCLI(args, server: api.base, token: token, directory: dir)
            }
            // A short job that ends (metered), and a long 2-GPU one that holds its GPUs.
            let short = try await api.post("/v1/jobs", token: tenancy.alice, json: Fixture.job("short", runtime: 30))
            let shortID = try #require(short.object["id"] as? String)
            #expect(try await api.waitForJob(shortID, token: tenancy.alice) { $0 == "succeeded" }.final == "succeeded")
            let long = try await api.post("/v1/jobs", token: tenancy.alice, json: Fixture.job("long", gpus: 2, runtime: 10_000_000))
            let longID = try #require(long.object["id"] as? String)
            #expect(try await api.waitForJob(longID, token: tenancy.alice) { $0 == "running" }.final == "running")

            let usage = try await cli(["usage", "--since", "1d"])
            #expect(usage.status == 0, "\(usage.stderr)")
            #expect(usage.stdout.contains("PROJECT") && usage.stdout.contains("GPU-hours") && usage.stdout.contains(Self.isoTime), "\(usage.stdout)")
            let live = try await cli(["usage", "--open"])
            #expect(live.status == 0 && live.stdout.contains(longID) && !live.stdout.contains(shortID), "only the open session: \(live.stdout)")
            let reconcile = try await cli(["usage", "reconcile", "--since", "1d"])
            #expect(reconcile.status == 0 && reconcile.stdout.contains("keeps its own accounting") && reconcile.stdout.contains("0 differ"), "\(reconcile.stdout) \(reconcile.stderr)")
            #expect(!usage.stdout.contains(Self.rawNumber), "\(usage.stdout)")
            // --tenant narrows the report: alpha's run is there, and nothing of beta's.
            let alphaUsage = try await cli(["usage", "--since", "1d", "--tenant", "alpha", "--json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(alphaUsage.stdout.utf8)) as? [String: Any], "\(alphaUsage.stderr)")
            let lines = try #require(report["lines"] as? [[String: Any]])
            #expect(!lines.isEmpty && lines.allSatisfy { $0["tenant"] as? String == "alpha" }, "\(lines)")
            #expect(try await cli(["usage", "--tenant", "beta", "--json"], token: tenancy.alice).status != 0, "a member may not read another tenant's usage")

            let quota = try await cli(["quota"])
            #expect(quota.status == 0, "\(quota.stderr)")
            let header = try #require(quota.stdout.split(separator: "\n").first)
            #expect(header.contains("USED") && header.contains("GUARANTEED") && header.contains("LIMIT"), "\(header)")
            let alpha = try #require(quota.stdout.split(separator: "\n").first { $0.hasPrefix("alpha") })
            #expect(alpha.split(separator: " ").map(String.init).suffix(3) == ["2", "2", "4"], "used 2 of guaranteed 2, limit 4: \(alpha)")
            let quotaJSON = try await cli(["quota", "--json"], token: tenancy.alice)
            let mine = try #require(try JSONSerialization.jsonObject(with: Data(quotaJSON.stdout.utf8)) as? [[String: Any]])
            #expect(mine.count == 1 && mine.first?["used"] as? Double == 2 && mine.first?["guaranteed"] as? Double == 2)

            let nodes = try await cli(["nodes", "--json"])
            let list = try #require(try JSONSerialization.jsonObject(with: Data(nodes.stdout.utf8)) as? [[String: Any]])
            #expect(list.reduce(0) { $0 + ($1["gpus"] as? Int ?? 0) } == 10)
            #expect(list.reduce(0.0) { $0 + ($1["allocatedGPUs"] as? Double ?? 0) } == 2)
            #expect(list.reduce(0.0) { $0 + ($1["freeGPUs"] as? Double ?? 0) } == 8)
            let table = try await cli(["nodes"])
            #expect(table.stdout.contains("GPUS_USED") && table.stdout.contains("GPUS_FREE"), "\(table.stdout)")
        }
    }

    @Test("/metrics has a # HELP line for every reservoir_ metric")
    func metricsHaveHelp() async throws {
        try await InProcessServer.with { api, _ in
            var text = ""
            for _ in 0..<100 {
                text = try await api.get("/metrics", token: nil).text
                if text.contains("# TYPE reservoir_scheduling_cycle_seconds") && text.contains("# TYPE reservoir_devices") { break }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            let families = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE reservoir_") }.map { $0.split(separator: " ")[2] }
            #expect(families.count >= 4, "\(text)")
            for name in families {
                #expect(text.contains("# HELP \(name) "), "no # HELP for \(name)")
            }
        }
    }
}
