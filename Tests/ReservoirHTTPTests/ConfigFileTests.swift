import Foundation
import Testing

/// The configuration file through the real binary: `config check` names every problem or says ok, and
/// `serve --config` applies the file, with the environment over the file and flags over both.
@Suite("Configuration file")
struct ConfigFileTests {
    static func run(_ arguments: [String], environment: [String: String] = [:], in dir: URL) async throws -> (status: Int32?, stdout: String, stderr: String) {
        let binary = try #require(Executable.reservoir, "build the reservoir executable first (swift build)")
        let child = try Child(binary, arguments, environment: environment, directory: dir)
        let status = await child.wait(timeout: 30)
        return (status, child.stdout, child.stderr)
    }

    @Test("config check: the example is ok with a summary; a bad file names every bad key and value and exits non-zero")
    func check() async throws {
        let dir = try Executable.temporaryDirectory("reservoir-config")
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = Executable.packageRoot.appendingPathComponent("config/reservoir.example.yaml").path
        let ok = try await Self.run(["config", "check", example], in: dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("ok\n") && ok.stdout.contains("placement reservoir") && ok.stdout.contains("2 pools"), "\(ok.stdout)")

        let bad = dir.appendingPathComponent("bad.yaml")
        try """
            server: {port: 99999}
            scheduler:
              placmentPolicy: fgd
              queuePolicy: fifo
            planing: {}
            """.write(to: bad, atomically: true, encoding: .utf8)
        let refused = try await Self.run(["config", "check", bad.path], environment: ["RESERVOIR_ENGINES_SIMULATOR_SPEED": "-1"], in: dir)
        #expect(refused.status != 0)
        for expected in [
            "4 problems", "scheduler.placmentPolicy: unknown key (did you mean 'placementPolicy'?)", "planing: unknown key (did you mean 'planning'?)",
            "server.port: must be 0…65535, not 99999", "engines.simulator.speed: must be", "(from RESERVOIR_ENGINES_SIMULATOR_SPEED)",
        ] {
            #expect(refused.stderr.contains(expected), "config check output lacks \(expected): \(refused.stderr)")
        }

        let show = try await Self.run(["config", "show", "--config", example], environment: ["RESERVOIR_SCHEDULER_QUEUE_POLICY": "capacity"], in: dir)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("queuePolicy: capacity") && show.stdout.contains("maxJobsPerCycle: 5000"), "\(show.stdout)")
    }

    @Test("serve --config: the file's cluster description is imported and its cycle interval applies; the environment wins over the file, a flag over the environment")
    func serveAppliesFile() async throws {
        let dir = try Executable.temporaryDirectory("reservoir-config-serve")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("reservoir.yaml")
        try """
            server: {port: 0, dataDir: \(dir.appendingPathComponent("data").path), logLevel: warning}
            scheduler: {cycleIntervalSeconds: 5, placementPolicy: fgd}
            regions:
              - id: r1
                clusters:
                  - id: c1
                    pools:
                      - id: from-config
                        nodes: [{name: n, count: 2, model: A100-80GB, gpus: 8, cpu: 64, memoryGiB: 512}]
            """.write(to: file, atomically: true, encoding: .utf8)
        let binary = try #require(Executable.reservoir, "build the reservoir executable first (swift build)")
        let child = try Child(
            binary, ["serve", "--config", file.path, "--policy", "bestfit"],
            environment: ["RESERVOIR_BOOTSTRAP_TOKEN": Fixture.operatorToken, "RESERVOIR_SCHEDULER_CYCLE_INTERVAL_SECONDS": "0.1",
                          "RESERVOIR_SCHEDULER_PLACEMENT_POLICY": "no-such-policy"],
            directory: dir)
        defer { child.kill9() }
        let url = try #require(await child.waitForLine(containing: "Reservoir is running at ", timeout: 60), "server did not start: \(child.stderr)")
        let api = API(port: try #require(URLComponents(string: url)?.port))
        let pools = try await api.get("/v1/pools", token: Fixture.operatorToken)
        #expect(pools.status == 200 && pools.text.contains("from-config"), "\(pools.text)")
        try await Task.sleep(nanoseconds: 500_000_000)
        let before = try await IdleServerTests.cycles(api)
        let start = Date()
        try await Task.sleep(nanoseconds: 2_000_000_000)
        let perSecond = (try await IdleServerTests.cycles(api) - before) / Date().timeIntervalSince(start)
        #expect(perSecond >= 4, "cycles per second with RESERVOIR_SCHEDULER_CYCLE_INTERVAL_SECONDS=0.1 over the file's 5: \(perSecond)")
    }

    @Test("serve refuses a bad configuration before it starts, naming every problem")
    func serveRefuses() async throws {
        let dir = try Executable.temporaryDirectory("reservoir-config-refused")
        defer { try? FileManager.default.removeItem(at: dir) }
        let refused = try await Self.run(
            ["serve", "--port", "0", "--data-dir", dir.appendingPathComponent("data").path, "--policy", "nope", "--failure-rate", "3"], in: dir)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("scheduler.placementPolicy: 'nope' is not valid") && refused.stderr.contains("(from --policy)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("engines.simulator.failureRate: must be 0.0…1.0, not 3.0 (from --failure-rate)"), "\(refused.stderr)")
    }
}
