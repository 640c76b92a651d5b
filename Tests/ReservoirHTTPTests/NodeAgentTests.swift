import Foundation
import Hummingbird
import HummingbirdTesting
import ReservoirCore
import ReservoirServices
import ReservoirTestSupport
import Testing

/// The node agent end to end: the real server, an agent user and token, `reservoir agent --once`
/// replaying a real capture (or running a fake nvidia-smi), device health over the API and the CLI.
@Suite("Node agent end to end", SharedData.required("data/gpu-telemetry/nvidia-smi-captures/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt"))
struct NodeAgentTests {
    static let capture = "data/gpu-telemetry/nvidia-smi-captures/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt"

    /// One node with two H100s; the capture is of a 1-GPU VM, so the agent finds only GPU 0.
    static let h100YAML = """
        regions:
          - id: r2
            clusters:
              - id: c2
                engine: simulated
                pools:
                  - id: h100
                    purpose: training
                    sharing: exclusive
                    nodes:
                      - {name: h100, count: 1, model: H100-80GB, gpus: 2, cpu: 32, memoryGiB: 256}
        """

    /// The fixture, the H100 pool with a quota for alpha, and a token of a new agent user.
    static func setUp(_ api: API) async throws -> (tenancy: Fixture.Tenancy, agent: String) {
        let tenancy = try await Fixture.setUp(api)
        let op = Fixture.operatorToken
        let imported = try await api.send(.POST, "/v1/import", token: op, body: h100YAML, contentType: "application/yaml")
        try #require(imported.status == 201, "\(imported.text)")
        let q = try await api.put("/v1/quotas", token: op, json: ["tenant": "alpha", "pool": "h100", "guaranteed": 2, "limit": 2])
        try #require(q.status == 200, "\(q.text)")
        let u = try await api.post("/v1/users", token: op, json: ["id": "agent-h100", "roles": ["agent"]])
        try #require(u.status == 201, "\(u.text)")
        let k = try await api.post("/v1/tokens", token: op, json: ["user": "agent-h100"])
        return (tenancy, try #require(k.object["token"] as? String))
    }

    @Test("the agent replays a real H100 capture: GPU 1 is missing, fails, leaves scheduling, and its job is requeued; the history says why")
    func missingGPUFailsAndRequeues() async throws {
        let capture = try #require(SharedData.file(Self.capture)).path
        let dir = try Executable.temporaryDirectory("reservoir-agent")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with { api, _ in
            let (tenancy, agent) = try await Self.setUp(api)
            let op = Fixture.operatorToken
            let submitted = try await api.post("/v1/jobs", token: tenancy.alice, json: Fixture.job("train", pool: "h100", gpus: 2, runtime: 86_400 * 30))
            let job = try #require(submitted.object["id"] as? String, "\(submitted.text)")
            #expect(try await api.waitForJob(job, token: op) { $0 == "running" }.final == "running")

            let run = try await runCLI(["agent", "--once", "--node", "h100", "--capture", capture], server: api.base, token: agent, directory: dir)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("node h100: 1 devices, 1 samples; h100/gpu1 failed (missing: not in the node agent's discovery (it found 1 GPU))"), "\(run.stdout)")
            #expect(run.stdout.contains("requeued \(job)"), "\(run.stdout)")

            // The sample went on to telemetry: the capture's loaded H100 at 100 % and 19,818 MiB.
            let util = try await api.get("/v1/utilization?scope=device&id=h100/gpu0&resolution=minute", token: op)
            #expect(util.status == 200, "\(util.text)")
            let point = (util.object["points"] as? [[String: Any]])?.last
            #expect(point?["gpuUtilMax"] as? Double == 100, "\(util.text)")
            #expect(point?["memoryUsedMiBMean"] as? Double == 19_818, "\(util.text)")

            let history = try await api.get("/v1/devices/h100%2Fgpu1/health", token: tenancy.alice)
            #expect(history.status == 200, "\(history.text)")
            #expect(history.array.map { $0["cause"] as? String } == ["missing"])
            #expect(history.array.first?["actor"] as? String == "user:agent-h100")
            #expect(try await api.get("/v1/devices/h100%2Fgpu0/health", token: op).array.isEmpty)
            let devices = try await api.get("/v1/devices?node=h100", token: op)
            #expect(devices.array.map { $0["state"] as? String } == ["available", "failed"])

            // Requeued with its progress kept, and it cannot run again on one healthy GPU.
            let requeued = try await api.get("/v1/jobs/\(job)", token: op)
            #expect(["preempted", "queued"].contains(requeued.object["state"] as? String ?? ""), "\(requeued.text)")
            let events = try await api.get("/v1/jobs/\(job)/events", token: op)
            #expect(events.array.contains { ($0["message"] as? String ?? "").contains("requeued with progress kept: device h100/gpu1 failed (missing") }, "\(events.text)")
            try await Task.sleep(nanoseconds: 500_000_000)
            #expect(try await api.get("/v1/jobs/\(job)", token: op).object["state"] as? String != "running")

            let shown = try await runCLI(["device", "health", "h100/gpu1"], server: api.base, token: op, directory: dir)
            #expect(shown.status == 0 && shown.stdout.contains("missing") && shown.stdout.contains("failed"), "\(shown.stdout)\(shown.stderr)")

            // An operator returns the device; the job runs again.
            let back = try await runCLI(["device", "set-state", "h100/gpu1", "available"], server: api.base, token: op, directory: dir)
            #expect(back.status == 0, "\(back.stderr)")
            #expect(try await api.waitForJob(job, token: op) { $0 == "running" }.final == "running")
            let after = try await api.get("/v1/devices/h100%2Fgpu1/health", token: op)
            #expect(after.array.map { $0["cause"] as? String } == ["operator", "missing"])
        }
    }

    @Test("a token without the agent role is refused (403) on the report route; a bad report or a flood is a 4xx naming the field, nothing stored")
    func onlyAgents() async throws {
        try await InProcessServer.with { api, _ in
            let (tenancy, agent) = try await Self.setUp(api)
            let report = RouteExamples.agentReport("t4")
            let member = try await api.post("/v1/agent/reports", token: tenancy.alice, json: report)
            #expect(member.status == 403, "\(member.text)")
            #expect(try await api.post("/v1/agent/reports", token: agent, json: report).status == 200)
            let bad = try await api.post("/v1/agent/reports", token: agent, json: RouteExamples.agentReport("t4", util: 250))
            #expect(bad.status == 400 && bad.errorField == "samples[0].gpuUtilPercent", "\(bad.text)")
            let unknown = try await api.post("/v1/agent/reports", token: agent, json: RouteExamples.agentReport("nope"))
            #expect(unknown.status == 404 && unknown.errorField == "node", "\(unknown.text)")
            // A flood: more samples than a report may hold is a 400 naming `samples`; a body past 1 MiB a 413.
            var flood = RouteExamples.agentReport("t4")
            let at = Date().timeIntervalSince1970
            flood["samples"] = (0..<5_001).map { ["device": "t4/gpu0", "at": at - Double($0) * 60, "gpuUtilPercent": 1, "memoryUsedMiB": 1] as [String: Any] }
            let tooMany = try await api.post("/v1/agent/reports", token: agent, json: flood)
            #expect(tooMany.status == 400 && tooMany.errorField == "samples", "\(tooMany.text.prefix(300))")
            flood["samples"] = (0..<20_000).map { ["device": "t4/gpu0", "at": at - Double($0) * 60, "gpuUtilPercent": 1, "memoryUsedMiB": 1] as [String: Any] }
            #expect(try await api.post("/v1/agent/reports", token: agent, json: flood).status == 413)
            #expect(try await api.get("/v1/devices/t4%2Fgpu0/health", token: Fixture.operatorToken).array.isEmpty, "nothing of the refused reports was stored")
            // The agent may do nothing else.
            #expect(try await api.get("/v1/jobs", token: agent).status == 403)
        }
    }

    /// SYNTHETIC: a DCGM exporter page of the fixture's T4 node (labels as dcgm-exporter writes them), with
    /// XID 79 on GPU 1. The real DCGM capture has no XID; this page is written here.
    static let syntheticDCGM: String = (0..<2).map { gpu -> String in
        let labels = #"gpu="\#(gpu)",UUID="GPU-synthetic-\#(gpu)",device="nvidia\#(gpu)",modelName="Tesla T4",Hostname="t4""#
        return """
            DCGM_FI_DEV_GPU_UTIL{\(labels)} \(gpu == 0 ? 35 : 0)
            DCGM_FI_DEV_FB_USED{\(labels)} 1032
            DCGM_FI_DEV_FB_FREE{\(labels)} 14328
            DCGM_FI_DEV_XID_ERRORS{\(labels)} \(gpu == 0 ? 0 : 79)
            """
    }.joined(separator: "\n")

    @Test("with --dcgm the agent scrapes a DCGM exporter too: a SYNTHETIC page with XID 79 on GPU 1 fails it (xid)")
    func dcgmXid() async throws {
        let xml = try #require(SharedData.file("data/gpu-telemetry/nvidia-smi-xml/telegraf__tesla-t4.xml")).path
        let dir = try Executable.temporaryDirectory("reservoir-agent-dcgm")
        defer { try? FileManager.default.removeItem(at: dir) }
        let router = Router()
        router.get("metrics") { _, _ -> String in Self.syntheticDCGM }
        let exporter = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await exporter.test(.live) { client in
            let port = try #require(client.port)
            try await InProcessServer.with { api, _ in
                let (_, agent) = try await Self.setUp(api)
                let run = try await runCLI(
                    ["agent", "--once", "--node", "t4", "--capture", xml, "--dcgm", "http://127.0.0.1:\(port)/metrics"], server: api.base, token: agent, directory: dir)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout == "node t4: 2 devices, 2 samples; t4/gpu1 failed (xid: XID 79, 1 XID error reported)\n", "\(run.stdout)")
                let history = try await api.get("/v1/devices/t4%2Fgpu1/health", token: Fixture.operatorToken)
                #expect(history.array.map { $0["detail"] as? String } == ["XID 79, 1 XID error reported"])
            }
        }
    }

    @Test("the agent runs nvidia-smi itself (a fake one printing the capture's sections and values)")
    func fakeNvidiaSMI() async throws {
        let capture = try #require(SharedData.file(Self.capture)).path
        let dir = try Executable.temporaryDirectory("reservoir-agent-smi")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The CSV line holds the loaded H100's values from the capture, in the agent's own fields.
        let script = dir.appendingPathComponent("nvidia-smi")
        try """
            #!/bin/sh
            section() { awk -v cmd="# \\$ nvidia-smi $1" '$0 == cmd { on = 1; skip = 1; next } on && /^#####/ { if (skip) { skip = 0; next } exit } on' "\(capture)"; }
            case "$1" in
              -L) section "-L" ;;
              topo) section "topo -m" ;;
              --query-gpu=*) echo "0, GPU-00000000-0000-0000-0000-000000000000, NVIDIA H100 80GB HBM3, 81559, 19818, 100, 59, 631.95, Disabled, 0" ;;
              *) exit 1 ;;
            esac
            """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        try await InProcessServer.with { api, _ in
            let (_, agent) = try await Self.setUp(api)
            let run = try await runCLI(["agent", "--once", "--node", "h100", "--nvidia-smi", script.path, "--json"], server: api.base, token: agent, directory: dir)
            #expect(run.status == 0, "\(run.stderr)")
            let receipt = try JSONDecoder().decode(AgentReportReceipt.self, from: Data(run.stdout.utf8))
            #expect(receipt.devices == 1 && receipt.samples == 1)
            #expect(receipt.events.map(\.device) == ["h100/gpu1"])

            let broken = try await runCLI(["agent", "--once", "--node", "h100", "--nvidia-smi", "/nonexistent/nvidia-smi"], server: api.base, token: agent, directory: dir)
            #expect(broken.status == 1 && broken.stderr.contains("cannot run /nonexistent/nvidia-smi"), "\(broken.stderr)")
        }
    }
}
