import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import Testing

/// Device profiles and per-job predictions through the running server and the CLI.
@Suite("End to end: device profiles and per-job predictions")
struct ProfilesTests {
    /// A server whose profiles are rebuilt every 0.2 s, so finished work shows in them during the test.
    static func reservoir() throws -> Reservoir {
        var configuration = Reservoir.Configuration(cycleInterval: 0.1)
        configuration.profiles.refreshSeconds = 0.2
        let engine = SimulatedEngine(nodes: [], speed: 1000, clock: { Date().timeIntervalSince1970 })
        let reservoir = Reservoir(store: try SQLiteStore(path: nil), engine: engine, configuration: configuration, logger: InProcessServer.quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        return reservoir
    }

    static func setUp(_ api: API) async throws {
        let op = Fixture.operatorToken
        let imported = try await api.send(.POST, "/v1/import", token: op, body: ProfileMatchingTests.inventoryYAML, contentType: "application/yaml")
        try #require(imported.status == 201, "import: \(imported.text)")
        try #require(try await api.post("/v1/tenants", token: op, json: ["id": "alpha", "name": "Alpha"]).status == 201)
        let q = try await api.put("/v1/quotas", token: op, json: ["tenant": "alpha", "pool": "mix", "guaranteed": 0, "limit": 12])
        try #require(q.status == 200, "quota: \(q.text)")
    }

    @Test("profiles list every GPU with its class, filter by pool and class, show one device, and count the work that ran there")
    func profilesThroughTheAPI() async throws {
        try await InProcessServer.with(try Self.reservoir()) { api, reservoir in
            let op = Fixture.operatorToken
            try await Self.setUp(api)
            // Telemetry of two days: the A100s at 30 % then 60 % (a 7-day mean of 45 %); the others never reported.
            let a100s = (0..<4).map { Device.id(node: "a100", index: $0) }
            for (ago, util) in [(86_400.0 + 120, 30.0), (120, 60)] {
                _ = try reservoir.telemetry.record(a100s.map { DeviceSample(device: $0, at: reservoir.now() - ago, gpuUtilPercent: util, memoryUsedMiB: 1024) })
            }
            try await Task.sleep(nanoseconds: 300_000_000)  // past profiles.refreshSeconds: the next read rebuilds them
            let all = try await api.get("/v1/profiles?pool=mix", token: op)
            #expect(all.status == 200 && all.array.count == 12, "\(all.text)")
            let classes = Dictionary(all.array.map { ($0["node"] as? String ?? "", $0["deviceClass"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
            #expect(classes == ["t4": "economy", "l40s": "large-memory", "a100": "low-latency"], "\(classes)")
            let utilization = Dictionary(all.array.map { ($0["device"] as? String ?? "", $0["utilization7d"] as? Double) }, uniquingKeysWith: { a, _ in a })
            #expect(utilization["a100/gpu0"] == 45 && utilization["t4/gpu0"] == .some(nil), "\(all.text)")
            let economy = try await api.get("/v1/profiles?class=economy", token: op)
            #expect(economy.array.count == 4 && economy.array.allSatisfy { $0["model"] as? String == "T4" }, "\(economy.text)")
            let page = try await api.get("/v1/profiles?limit=5", token: op)
            #expect(page.array.count == 5 && page.next != nil)
            #expect(try await api.get("/v1/profiles?class=fastest", token: op).errorField == "class")
            #expect(try await api.get("/v1/profiles?pool=nope", token: op).status == 404)

            // An inference job runs on the A100s and finishes: the device's profile counts it.
            var job = Fixture.job("serve", pool: "mix", runtime: 5, tenant: "alpha")
            job["kind"] = "inference"
            let id = try #require(try await api.post("/v1/jobs", token: op, json: job).object["id"] as? String)
            #expect(try await api.waitForJob(id, token: op) { $0 == "succeeded" }.final == "succeeded")
            let placed = try #require((try await api.get("/v1/jobs/\(id)", token: op).object["placements"] as? [[String: Any]])?.first)
            let node = try #require(placed["node"] as? String)
            let index = try #require((placed["deviceIndices"] as? [Int])?.first)
            try await Task.sleep(nanoseconds: 300_000_000)
            let profile = try await api.get("/v1/devices/\(node)%2Fgpu\(index)/profile", token: op)
            #expect(profile.status == 200, "\(profile.text)")
            #expect(profile.object["deviceClass"] as? String == "low-latency" && profile.object["model"] as? String == "A100-40GB")
            #expect((profile.object["recentKinds"] as? [String: Int]) == ["inference": 1], "\(profile.text)")
            #expect(profile.object["meanRuntimeSeconds"] is Double, "\(profile.text)")
            #expect((profile.object["reason"] as? String)?.hasPrefix("low-latency: its memory bandwidth") == true, "\(profile.text)")
            #expect(try await api.get("/v1/devices/\(node)%2Fgpu63/profile", token: op).status == 404)
        }
    }

    @Test("a job without a runtime is predicted from its named history in explain; accuracy is reported to operators, not members; the CLI shows both")
    func predictions() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-cli-profiles")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with(try Self.reservoir()) { api, reservoir in
            let op = Fixture.operatorToken
            try await Self.setUp(api)
            // Three runs of "nightly" (about 3 s each at the simulator's speed); while they run, their GPUs
            // report half of their memory in use: the peak the prediction reads back.
            var ids: [String] = []
            for runtime in [2000.0, 2500, 3000] {
                ids.append(try #require(try await api.post("/v1/jobs", token: op, json: Fixture.job("nightly", pool: "mix", runtime: runtime, tenant: "alpha")).object["id"] as? String))
            }
            var memory: [DeviceID: Int] = [:]
            for node in try reservoir.store.inventory().nodes { for d in node.devices { memory[d.id] = d.memoryMiB } }
            for id in ids {
                #expect(try await api.waitForJob(id, token: op) { $0 == "running" }.final == "running")
                let placed = try #require((try await api.get("/v1/jobs/\(id)", token: op).object["placements"] as? [[String: Any]])?.first)
                let device = Device.id(node: NodeID(try #require(placed["node"] as? String)), index: try #require((placed["deviceIndices"] as? [Int])?.first))
                _ = try reservoir.telemetry.record([DeviceSample(device: device, at: reservoir.now(), gpuUtilPercent: 80, memoryUsedMiB: memory[device]! / 2)])
            }
            for id in ids { #expect(try await api.waitForJob(id, token: op) { $0 == "succeeded" }.final == "succeeded") }
            var open = Fixture.job("nightly", pool: "mix", tenant: "alpha")
            open["runtimeSeconds"] = nil
            let id = try #require(try await api.post("/v1/jobs", token: op, json: open).object["id"] as? String)
            #expect(try await api.waitForJob(id, token: op) { $0 == "running" }.final == "running")
            let why = try await api.get("/v1/jobs/\(id)/explain", token: op)
            let prediction = try #require(why.object["prediction"] as? [String: Any], "\(why.text)")
            #expect(prediction["basis"] as? String == "name" && prediction["samples"] as? Int == 3, "\(why.text)")
            // Training lands on the L40S (46068 MiB): half of it is the peak of every run.
            #expect(prediction["peakGPUMemoryMiB"] as? Int == 23_034, "\(why.text)")
            #expect(why.text.contains("peak GPU memory 22 GiB per device"), "\(why.text)")
            #expect(why.text.contains("predicted runtime") && why.text.contains("no declared runtime, so backfill plans with the prediction: predicted runtime") && why.text.contains("(p90 of 3 finished jobs with its name)"), "\(why.text)")

            let accuracy = try await api.get("/v1/predictions/accuracy", token: op)
            #expect(accuracy.status == 200 && accuracy.object["jobs"] as? Int == 3, "\(accuracy.text)")
            let member = try await api.post("/v1/users", token: op, json: ["id": "ann", "tenant": "alpha", "roles": ["member"]])
            try #require(member.status == 201, "\(member.text)")
            let token = try #require(try await api.post("/v1/tokens", token: op, json: ["user": "ann"]).object["token"] as? String)
            #expect(try await api.get("/v1/predictions/accuracy", token: token).status == 403)

            let cli = try await runCLI(["predict", "accuracy", "--since", "1d"], server: api.base, token: op, directory: dir)
            #expect(cli.status == 0 && cli.stdout.contains("3 succeeded jobs scored") && cli.stdout.contains("tenant mean (before)"), "\(cli.stdout)\(cli.stderr)")
            let profiles = try await runCLI(["profiles", "--pool", "mix", "--class", "economy"], server: api.base, token: op, directory: dir)
            #expect(profiles.status == 0 && profiles.stdout.contains("t4/gpu0") && !profiles.stdout.contains("a100"), "\(profiles.stdout)\(profiles.stderr)")
            let one = try await runCLI(["profiles", "a100/gpu0"], server: api.base, token: op, directory: dir)
            #expect(one.status == 0 && one.stdout.contains("why: low-latency"), "\(one.stdout)\(one.stderr)")
        }
    }

    static let twoT4YAML = """
        regions:
          - id: r1
            clusters:
              - id: c1
                engine: simulated
                pools:
                  - id: tmix
                    purpose: testing
                    nodes:
                      - {name: ta, count: 1, model: T4, gpus: 4, cpu: 32, memoryGiB: 128}
                      - {name: tb, count: 1, model: T4, gpus: 4, cpu: 32, memoryGiB: 128}
                      - {name: tc, count: 1, model: A100-40GB, gpus: 4, cpu: 32, memoryGiB: 128}
        """

    @Test("an XID reported by the node agent counts as a fault: the device is unreliable in its profile and on /metrics, and test work avoids its node")
    func faultsFromTheAgent() async throws {
        try await InProcessServer.with(try Self.reservoir()) { api, reservoir in
            let op = Fixture.operatorToken
            try #require(try await api.send(.POST, "/v1/import", token: op, body: Self.twoT4YAML, contentType: "application/yaml").status == 201)
            try #require(try await api.post("/v1/tenants", token: op, json: ["id": "alpha", "name": "Alpha"]).status == 201)
            try #require(try await api.put("/v1/quotas", token: op, json: ["tenant": "alpha", "pool": "tmix", "guaranteed": 0, "limit": 12]).status == 200)
            try #require(try await api.post("/v1/users", token: op, json: ["id": "agent-ta", "roles": ["agent"]]).status == 201)
            let agent = try #require(try await api.post("/v1/tokens", token: op, json: ["user": "agent-ta"]).object["token"] as? String)
            let report: [String: Any] = [
                "node": "ta",
                "devices": (0..<4).map { ["index": $0, "name": "Tesla T4", "model": "T4", "memoryMiB": 15_360, "migInstances": [], "links": []] as [String: Any] },
                "samples": (0..<4).map { i -> [String: Any] in
                    var sample: [String: Any] = ["device": "ta/gpu\(i)", "at": reservoir.now() - 1, "gpuUtilPercent": 5, "memoryUsedMiB": 512]
                    if i == 1 { sample["xidErrors"] = 1 }
                    return sample
                },
            ]
            let reported = try await api.post("/v1/agent/reports", token: agent, json: report)
            try #require(reported.status == 200, "\(reported.text)")
            // The operator returns the GPU to service; its fault stays in the 30-day count.
            try #require(try await api.send(.PATCH, "/v1/nodes/ta/devices/1", token: op, body: #"{"state": "available"}"#).status == 200)
            let profile = try await api.get("/v1/devices/ta%2Fgpu1/profile", token: op)
            #expect(profile.object["faults30d"] as? Int == 1 && profile.object["unreliable"] as? Bool == true, "\(profile.text)")
            #expect((profile.object["reason"] as? String)?.contains("unreliable: 1 fault in 30 days") == true, "\(profile.text)")
            #expect(try await api.get("/v1/devices/tb%2Fgpu1/profile", token: op).object["unreliable"] as? Bool == false)
            let metrics = try await api.get("/metrics", token: nil).text
            #expect(metrics.contains(#"reservoir_unreliable_devices{pool="tmix"} 1"#) && metrics.contains(#"reservoir_device_faults_30d{pool="tmix"} 1"#), "\(metrics)")

            var job = Fixture.job("smoke", pool: "tmix", runtime: 100_000, tenant: "alpha")
            job["kind"] = "test"
            let id = try #require(try await api.post("/v1/jobs", token: op, json: job).object["id"] as? String)
            #expect(try await api.waitForJob(id, token: op) { $0 == "running" }.final == "running")
            let placed = try #require((try await api.get("/v1/jobs/\(id)", token: op).object["placements"] as? [[String: Any]])?.first)
            #expect(placed["node"] as? String == "tb", "the T4 node without recent faults: \(placed)")
        }
    }
}
