import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import Testing

/// Jobs with a command through the API and the CLI, on the simulator: the command is kept with the
/// job, the logs API serves the simulator's synthetic log, failures carry their exit code, and bad
/// commands are refused with a 400 naming the field.
@Suite("Job commands and logs")
struct JobCommandHTTPTests {
    @Test("a submitted command is kept; its synthetic log is served whole and by offset")
    func commandAndLogs() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            var body = Fixture.job("train", runtime: 100)
            body["command"] = ["python", "train.py"]
            body["args"] = ["--epochs", "3"]
            body["env"] = ["EPOCHS": "3"]
            body["workingDirectory"] = "/home/alice"
            let submitted = try await api.post("/v1/jobs", token: t.alice, json: body)
            try #require(submitted.status == 201, "\(submitted.text)")
            let id = try #require(submitted.object["id"] as? String)
            let command = submitted.object["command"] as? [String: Any]
            #expect(command?["argv"] as? [String] == ["python", "train.py"])
            #expect(command?["env"] as? [String: String] == ["EPOCHS": "3"])

            let (state, seen) = try await api.waitForJob(id, token: t.alice) { $0 == "succeeded" || $0 == "failed" }
            #expect(state == "succeeded", "went \(seen)")
            let job = try await api.get("/v1/jobs/\(id)", token: t.alice)
            #expect(job.object["exitCode"] as? Int == 0)

            let logs = try await api.get("/v1/jobs/\(id)/logs", token: t.alice)
            #expect(logs.status == 200, "\(logs.text)")
            let text = try #require(logs.object["text"] as? String)
            #expect(text == "starting python train.py --epochs 3\nprogress 25%\nprogress 50%\nprogress 75%\nexited 0\n")
            #expect(logs.object["complete"] as? Bool == true)
            #expect(logs.object["exitCode"] as? Int == 0)

            let part = try await api.get("/v1/jobs/\(id)/logs?offset=9&limit=6", token: t.alice)
            #expect(part.object["text"] as? String == "python")
            #expect(part.object["nextOffset"] as? Int == 15)
            #expect(part.object["complete"] as? Bool == false, "more output follows")

            // Another tenant's job's output is as invisible as the job.
            #expect(try await api.get("/v1/jobs/\(id)/logs", token: t.bob).status == 404)
            for (query, field) in [("offset=-1", "offset"), ("limit=0", "limit"), ("offset=x", "offset")] {
                let bad = try await api.get("/v1/jobs/\(id)/logs?\(query)", token: t.alice)
                #expect(bad.status == 400 && bad.errorField == field, "\(query): \(bad.text)")
            }
        }
    }

    @Test("a job without a command still runs for its runtime; its log says so")
    func jobWithoutCommand() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            let id = try #require(try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("plain")).object["id"] as? String)
            let (state, _) = try await api.waitForJob(id, token: t.alice) { $0 == "succeeded" }
            #expect(state == "succeeded")
            let text = try await api.get("/v1/jobs/\(id)/logs", token: t.alice).object["text"] as? String ?? ""
            #expect(text.hasPrefix("starting (no command"), "\(text)")
        }
    }

    @Test("a failed run carries its exit code into the job, its message and its events")
    func failureCarriesExitCode() async throws {
        let store = try SQLiteStore(path: nil)
        let engine = SimulatedEngine(nodes: [], speed: 1000, failureRate: 1, clock: { Date().timeIntervalSince1970 })
        let reservoir = Reservoir(store: store, engine: engine, configuration: .init(cycleInterval: 0.1), logger: InProcessServer.quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        try await InProcessServer.with(reservoir) { api, _ in
            let t = try await Fixture.setUp(api)
            var body = Fixture.job("doomed", runtime: 100)
            body["script"] = "echo hello; exit 3"
            let id = try #require(try await api.post("/v1/jobs", token: t.alice, json: body).object["id"] as? String)
            let (state, _) = try await api.waitForJob(id, token: t.alice) { $0 == "failed" || $0 == "succeeded" }
            #expect(state == "failed")
            let job = try await api.get("/v1/jobs/\(id)", token: t.alice).object
            #expect(job["exitCode"] as? Int == 1)
            #expect(job["message"] as? String == "exit code 1: injected failure")
            let events = try await api.get("/v1/jobs/\(id)/events", token: t.alice).array
            #expect(events.contains { $0["kind"] as? String == "failed" && ($0["message"] as? String ?? "").contains("exit code 1") }, "\(events)")
            let text = try await api.get("/v1/jobs/\(id)/logs", token: t.alice).object["text"] as? String ?? ""
            #expect(text.hasPrefix("starting script (echo hello; exit 3)\n") && text.hasSuffix("exited 1\n"), "\(text)")
        }
    }

    @Test("bad commands are refused with a 400 naming the field, and nothing is stored")
    func badCommands() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            let cases: [(String, [String: Any])] = [
                ("command", ["command": [String]()]),
                ("script", ["command": ["a"], "script": "b"]),
                ("script", ["script": String(repeating: "x", count: JobCommand.Limits.scriptBytes + 1)]),
                ("args", ["command": ["a"], "args": Array(repeating: "x", count: JobCommand.Limits.arguments)]),
                ("env", ["command": ["a"], "env": Dictionary(uniqueKeysWithValues: (0...JobCommand.Limits.envEntries).map { ("V\($0)", "x") })]),
                ("env.SLURM_JOB_ID", ["command": ["a"], "env": ["SLURM_JOB_ID": "1"]]),
                ("workingDirectory", ["command": ["a"], "workingDirectory": "relative"]),
                ("image", ["command": ["a"], "image": "not an image"]),
                ("command", ["env": ["A": "1"]]),
            ]
            for (field, extra) in cases {
                var body = Fixture.job("bad")
                body.merge(extra) { _, new in new }
                let reply = try await api.post("/v1/jobs", token: t.alice, json: body)
                #expect(reply.status == 400 && reply.errorField == field, "\(field): \(reply.status) \(reply.text.prefix(300))")
            }
            #expect(try await api.get("/v1/jobs", token: t.alice).array.isEmpty)
        }
    }

    @Test("CLI: submit FILE -- COMMAND sets the command; job logs and job logs --follow print the output")
    func cli() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-cli-logs")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with(speed: 20) { api, _ in
            let t = try await Fixture.setUp(api)
            let file = dir.appendingPathComponent("job.yaml")
            try "name: cli-train\npool: p1\nruntimeSeconds: 40\nrequest: {gpus: 1}\nscript: replaced\n".write(to: file, atomically: true, encoding: .utf8)
            let submitted = try await runCLI(["submit", file.path, "--json", "--", "torchrun", "--nproc", "8", "train.py"], server: api.base, token: t.alice, directory: dir)
            #expect(submitted.status == 0, "\(submitted.stderr)")
            let job = try #require(try JSONSerialization.jsonObject(with: Data(submitted.stdout.utf8)) as? [String: Any])
            let id = try #require(job["id"] as? String)
            #expect((job["command"] as? [String: Any])?["argv"] as? [String] == ["torchrun", "--nproc", "8", "train.py"])
            #expect((job["command"] as? [String: Any])?["script"] == nil)

            // Runs ~2 s at speed 20: --follow prints until the job ends.
            let followed = try await runCLI(["job", "logs", id, "--follow", "--interval", "0.2"], server: api.base, token: t.alice, directory: dir)
            #expect(followed.status == 0, "\(followed.stderr)")
            #expect(followed.stdout == "starting torchrun --nproc 8 train.py\nprogress 25%\nprogress 50%\nprogress 75%\nexited 0\n", "\(followed.stdout)")
            let once = try await runCLI(["job", "logs", id], server: api.base, token: t.alice, directory: dir)
            #expect(once.stdout == followed.stdout)
        }
    }
}
