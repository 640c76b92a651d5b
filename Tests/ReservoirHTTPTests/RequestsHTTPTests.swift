import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// Resource requests end to end over HTTP and the CLI (issue 14, items 1 and 4–5).
@Suite("Resource requests over HTTP and the CLI")
struct RequestsHTTPTests {
    static func example(_ name: String) throws -> String {
        try String(contentsOf: Executable.packageRoot.appendingPathComponent("examples/\(name)"), encoding: .utf8)
    }

    @Test("a small request is auto-approved and its job runs under the grant, within one call")
    func autoApprovedJobRuns() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            var form = try Self.example("request-training-l2.yaml")
            form = form.replacingOccurrences(of: "runtimeSeconds: 3600", with: "runtimeSeconds: 30")
            let r = try await api.send(.POST, "/v1/requests", token: t.alice, body: form, contentType: "application/yaml")
            #expect(r.status == 201, "\(r.text)")
            let request = try #require(r.object["request"] as? [String: Any])
            let grant = try #require(r.object["grant"] as? [String: Any], "\(r.text)")
            let job = try #require(r.object["job"] as? [String: Any], "\(r.text)")
            #expect(request["state"] as? String == "granted" && request["grant"] as? String == grant["id"] as? String)
            #expect(grant["pool"] as? String == "p1" && grant["gpuMilli"] as? Int == 2_000 && grant["priority"] as? String == "P2")
            #expect((r.object["message"] as? String)?.hasPrefix("approved") == true, "\(r.text)")
            #expect(job["grant"] as? String == grant["id"] as? String && job["pool"] as? String == "p1", "\(job)")
            let id = try #require(job["id"] as? String)
            let run = try await api.waitForJob(id, token: t.alice) { $0 == "running" || $0 == "succeeded" }
            #expect(run.final == "running" || run.final == "succeeded", "\(run.seen)")

            // Its job started, so the request is active (the grants context marks it right after the start).
            var shown = try await api.get("/v1/requests/\(request["id"] as? String ?? "")", token: t.alice)
            for _ in 0..<100 where shown.object["state"] as? String != "active" {
                try await Task.sleep(nanoseconds: 20_000_000)
                shown = try await api.get("/v1/requests/\(request["id"] as? String ?? "")", token: t.alice)
            }
            #expect(shown.status == 200 && shown.object["state"] as? String == "active" && shown.object["overdue"] as? Bool == false, "\(shown.text)")
            #expect(try await api.get("/v1/requests/\(request["id"] as? String ?? "")", token: t.bob).status == 404)
            #expect(try await api.get("/v1/requests", token: t.bob).array.isEmpty)
            #expect(try await api.get("/v1/requests", token: t.alice).array.count == 1)
        }
    }

    @Test("a bad form is one 400 naming every bad field; nothing is stored")
    func badForm() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            let r = try await api.post("/v1/requests", token: t.alice, json: [
                "kind": "training", "category": "online", "pool": "nowhere",
                "training": ["parameters": 1e15, "tokens": 0, "gpuModel": "Z9", "gpus": 0],
                "inference": ["sla": ["p99LatencyMs": 10, "meanLatencyMs": 20]],
            ])
            #expect(r.status == 400, "\(r.text)")
            for field in ["department", "category", "pool", "inference", "training.parameters", "training.tokens", "training.gpuModel", "training.gpus", "training.durationHours"] {
                #expect(r.text.contains(field), "\(field): \(r.text)")
            }
            let typed = try await api.post("/v1/requests", token: t.alice, json: ["kind": "training", "training": ["gpus": "eight"]])
            #expect(typed.status == 400 && typed.text.contains("training.gpus"), "\(typed.text)")
            #expect(try await api.get("/v1/requests", token: Fixture.operatorToken).array.isEmpty)
        }
    }

    @Test("reservoir request submit -f | --guided, list, show, withdraw")
    func cli() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-request-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            let file = Executable.packageRoot.appendingPathComponent("examples/request-training-l1.yaml").path
            let l1 = try await runCLI(["request", "submit", "-f", file], server: api.base, token: t.alice, directory: dir)
            print(l1.stdout)
            #expect(l1.status == 0, "\(l1.stderr)")
            #expect(l1.stdout.contains("req-000001: under-review") && l1.stdout.contains("routed to") && l1.stdout.contains("expected review by"), "\(l1.stdout)")
            #expect(l1.stdout.contains("estimate: ") && l1.stdout.contains("GPU-hours"), "\(l1.stdout)")

            // Guided: a bad answer is asked again (kind, GPU model, GPUs), optional ones may stay empty.
            let answers = [
                "Grid AI", "dispatch", "alice@example.com", "summaries", "faster shifts", "trainnig", "training", "L2", "",
                "llama-8b", "", "PyTorch", "8B", "2e8", "", "text", "Z9", "a100-80gb", "-2", "2", "24", "", "", "", "",
            ]
            let guided = try await runCLI(
                ["request", "submit", "--guided"], server: api.base, token: t.alice, directory: dir, stdin: answers.joined(separator: "\n") + "\n")
            print(guided.stdout)
            #expect(guided.status == 0, "\(guided.stderr)\n\(guided.stdout)")
            #expect(guided.stdout.contains("one of training, inference; try again") && guided.stdout.contains("not a catalog GPU model; try again"))
            #expect(guided.stdout.contains("a whole number within 1…100000; try again"), "\(guided.stdout)")
            #expect(guided.stdout.contains("req-000002: granted") && guided.stdout.contains("grant: grant-000002"), "\(guided.stdout)")
            let short = try await runCLI(["request", "submit", "--guided"], server: api.base, token: t.alice, directory: dir, stdin: "Grid AI\n")
            #expect(short.status != 0 && short.stderr.contains("the input ended before project"), "\(short.stderr)")

            let list = try await runCLI(["request", "list"], server: api.base, token: t.alice, directory: dir)
            #expect(list.status == 0 && list.stdout.contains("req-000001") && list.stdout.contains("under-review") && list.stdout.contains("grant-000002"), "\(list.stdout)")
            let filtered = try await runCLI(["request", "list", "--state", "granted"], server: api.base, token: t.alice, directory: dir)
            #expect(!filtered.stdout.contains("req-000001") && filtered.stdout.contains("req-000002"), "\(filtered.stdout)")
            let show = try await runCLI(["request", "show", "req-000001"], server: api.base, token: t.alice, directory: dir)
            #expect(show.status == 0 && show.stdout.contains("routing: hq") && show.stdout.contains("history:"), "\(show.stdout)")
            let withdraw = try await runCLI(["request", "withdraw", "req-000001", "--reason", "budget moved"], server: api.base, token: t.alice, directory: dir)
            #expect(withdraw.status == 0 && withdraw.stdout.contains("req-000001: withdrawn"), "\(withdraw.stdout)\(withdraw.stderr)")
            let again = try await runCLI(["request", "withdraw", "req-000001"], server: api.base, token: t.alice, directory: dir)
            #expect(again.status != 0 && again.stderr.contains("only an undecided request"), "\(again.stderr)")
            let other = try await runCLI(["request", "show", "req-000001"], server: api.base, token: t.bob, directory: dir)
            #expect(other.status != 0 && other.stderr.contains("no request req-000001"), "\(other.stderr)")
        }
    }
}
