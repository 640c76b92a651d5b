import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// `POST /v1/estimates` and `reservoir estimate …` against a live server (issue 14, item 2).
@Suite("Estimates over HTTP and the CLI")
struct EstimatesTests {
    @Test("A training estimate carries its calibration; every bad field is named at once")
    func http() async throws {
        try await InProcessServer.with { api, _ in
            let ok = try await api.post("/v1/estimates", token: Fixture.operatorToken, json: [
                "kind": "training", "parameters": 70e9, "tokens": 2e12, "model": "A100-80GB", "gpus": 1_024, "zeroStage": 3,
            ])
            #expect(ok.status == 200, "\(ok.text)")
            let training = try #require(ok.object["training"] as? [String: Any])
            let calibration = try #require(training["calibration"] as? [String: Any])
            #expect(calibration["basis"] as? String == "fitted" && calibration["meanAbsolutePercentError"] is Double)
            #expect(((training["gpuHours"] as? Double) ?? 0) > 1e6)

            let bad = try await api.post("/v1/estimates", token: Fixture.operatorToken, json: [
                "kind": "training", "parameters": 1e15, "tokens": 0, "model": "Z9", "p99Ms": 10,
            ])
            #expect(bad.status == 400)
            for field in ["parameters", "tokens", "model", "p99Ms"] { #expect(bad.text.contains(field), "\(field): \(bad.text)") }

            let sla = try await api.post("/v1/estimates", token: Fixture.operatorToken, json: [
                "kind": "inference", "p99Ms": 50, "meanMs": 80, "peakQPS": 100, "loadTest": [["concurrency": 1, "p50Ms": 20, "p99Ms": 35, "qps": 48]],
            ])
            #expect(sla.status == 400 && sla.text.contains("p99Ms") && sla.text.contains("below the mean"), "\(sla.text)")

            let typo = try await api.post("/v1/estimates", token: Fixture.operatorToken, json: ["kind": "training", "params": 7e9])
            #expect(typo.status == 400 && typo.text.contains("params"), "\(typo.text)")
        }
    }

    @Test("reservoir estimate training | inference as the issue writes them, and --json")
    func cli() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-estimate-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with { api, _ in
            let training = try await runCLI(
                ["estimate", "training", "--params", "70B", "--tokens", "2T", "--model", "H100-80GB", "--gpus", "512"],
                server: api.base, token: Fixture.operatorToken, directory: dir)
            print(training.stdout)
            #expect(training.status == 0, "\(training.stderr)")
            #expect(training.stdout.contains("calibration: efficiency") && training.stdout.contains("leave-one-out") && training.stdout.contains("assumptions"))
            // ZeRO-3 by default: 70B fits 512 H100s, and the table names a minimum per model.
            #expect(!training.stdout.contains("DOES NOT FIT") && training.stdout.contains("ZeRO stage 3") && training.stdout.contains("efficiency 0.267 of peak"), "\(training.stdout)")
            let file = Executable.packageRoot.appendingPathComponent("examples/loadtest.csv").path
            let inference = try await runCLI(
                ["estimate", "inference", "--load-test", file, "--p99-ms", "200", "--peak-qps", "3000", "--replicas-ha", "2", "--json"],
                server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect(inference.status == 0, "\(inference.stderr)")
            let reply = try #require(try JSONSerialization.jsonObject(with: Data(inference.stdout.utf8)) as? [String: Any])
            let answer = try #require(reply["inference"] as? [String: Any])
            // examples/loadtest.csv: 236 QPS at p99 168 ms is the best within 200 ms; ceil(3000 / 236) = 13, + 2 HA.
            #expect(answer["perGPUQPS"] as? Double == 236 && answer["gpus"] as? Int == 15, "\(answer)")
            let bad = try await runCLI(
                ["estimate", "training", "--params", "1e15", "--tokens", "0", "--model", "H100-80GB"], server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect(bad.status != 0 && bad.stderr.contains("parameters") && bad.stderr.contains("tokens"), "\(bad.stderr)")
        }
    }
}
