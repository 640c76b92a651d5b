import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// SPEC §5.7's idle reclamation end to end over HTTP on a manual clock: a month of simulated utilization
/// is written through the telemetry record path (an hourly sample per device the replicas hold), the
/// daily roll-ups find the service idle, operators confirm with the owner, the owner answers, and after
/// the deadline operators shrink it; every step is in the service's history. An idle interactive job is
/// warned, then stopped through the cancel path with a reclamation record.
@Suite("Idle reclamation end to end")
struct IdleReclamationTests {
    static let inventory = """
        regions:
          - id: r1
            clusters:
              - id: c1
                engine: simulated
                pools:
                  - id: infer
                    purpose: inference
                    sharing: exclusive
                    nodes:
                      - {name: inf, count: 1, model: A100-80GB, gpus: 4, cpu: 64, memoryGiB: 512}
                  - id: dev
                    purpose: testing
                    sharing: exclusive
                    nodes:
                      - {name: dev, count: 1, model: A100-80GB, gpus: 2, cpu: 32, memoryGiB: 256}
        """

    /// A reservoir on `clock` with the shop tenant (member sam) and quotas in both pools; `body` gets sam's token.
    static func with(_ clock: ManualClock, _ body: @Sendable (API, Reservoir, String) async throws -> Void) async throws {
        let store = try SQLiteStore(path: nil)
        let engine = SimulatedEngine(inventory: { (try? store.inventory().nodes) ?? [] }, speed: 1, clock: clock.function)
        var configuration = Reservoir.Configuration(cycleInterval: 0.05)
        configuration.telemetry.sampleIntervalSeconds = 1e9  // the test writes every sample itself
        let reservoir = Reservoir(store: store, engine: engine, configuration: configuration, logger: InProcessServer.quietLogger, clock: clock.function)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        try await InProcessServer.with(reservoir) { api, reservoir in
            let op = Fixture.operatorToken
            #expect(try await api.send(.POST, "/v1/import", token: op, body: Self.inventory, contentType: "application/yaml").status == 201)
            #expect(try await api.post("/v1/tenants", token: op, json: ["id": "shop"]).status == 201)
            #expect(try await api.post("/v1/users", token: op, json: ["id": "sam", "tenant": "shop", "roles": ["member"]]).status == 201)
            let sam = try #require(try await api.post("/v1/tokens", token: op, json: ["user": "sam"]).object["token"] as? String)
            for pool in ["infer", "dev"] {
                #expect(try await api.put("/v1/quotas", token: op, json: ["tenant": "shop", "pool": pool, "guaranteed": 4, "limit": 4]).status == 200)
            }
            try await body(api, reservoir, sam)
        }
    }

    /// One sample per device `jobs` hold, at the clock's now.
    static func sample(_ reservoir: Reservoir, jobs: [Job], util: Double, memoryMiB: Int) throws {
        let samples = jobs.flatMap { job in
            job.placements.flatMap { p in
                p.deviceIndices.map { DeviceSample(device: DeviceID("\(p.node)/gpu\($0)"), at: reservoir.now(), gpuUtilPercent: util, memoryUsedMiB: memoryMiB) }
            }
        }
        #expect(try reservoir.telemetry.record(samples).accepted == samples.count)
    }

    static func running(_ reservoir: Reservoir, service: ServiceID, count: Int) async throws -> [Job] {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let replicas = try reservoir.store.replicas(of: service, states: [.running])
            if replicas.count == count || Date() > deadline { return replicas }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    @Test("a month idle: found from the daily peaks, confirmed with the owner, answered, shrunk after the deadline (API and CLI); every step recorded")
    func idleServiceConfirmedAndShrunk() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-idle-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = ManualClock(1_793_491_200)  // 2026-11-01 00:00 UTC
        try await Self.with(clock) { api, reservoir, sam in
            let op = Fixture.operatorToken
            func cli(_ arguments: [String], token: String = Fixture.operatorToken) async throws -> (status: Int32?, stdout: String, stderr: String) {
                try await runCLI(arguments, server: api.base, token: token, directory: dir)
            }
            for (name, replicas) in [("chat", 2), ("busy", 1)] {
                let spec: [String: Any] = [
                    "name": name, "pool": "infer", "model": "chat-7b", "request": ["gpus": 1, "cpuMilli": 1000, "memoryMiB": 1024],
                    "replicas": ["min": replicas, "max": replicas], "sla": ["p99LatencyMs": 250, "peakQPS": 10],
                ]
                let deployed = try await api.post("/v1/services", token: sam, json: spec)
                try #require(deployed.status == 201, "\(deployed.text)")
            }
            let chat = try await Self.running(reservoir, service: "chat", count: 2)
            let busy = try await Self.running(reservoir, service: "busy", count: 1)
            try #require(chat.count == 2 && busy.count == 1)

            // 31 days, an hourly sample: chat peaks at 12 % GPU and 5 % memory; busy reaches 60 % one hour a day.
            for hour in 0..<(31 * 24) {
                try Self.sample(reservoir, jobs: chat, util: hour % 24 == 14 ? 12 : 3, memoryMiB: 4_000)
                try Self.sample(reservoir, jobs: busy, util: hour % 24 == 14 ? 60 : 3, memoryMiB: 4_000)
                clock.advance(3_600)
            }

            let candidates = try await api.get("/v1/reclamation/candidates", token: op)
            #expect(candidates.status == 200, "\(candidates.text)")
            #expect(candidates.array.map { $0["service"] as? String } == ["chat"], "\(candidates.text)")
            let verdict = candidates.array.first?["verdict"] as? [String: Any] ?? [:]
            #expect(verdict["daysReported"] as? Int == 30 && verdict["idle"] as? Bool == true && verdict["peakUtilization"] as? Double == 12, "\(candidates.text)")
            #expect(try await api.get("/v1/reclamation/candidates", token: sam).array.count == 1)  // the owner sees its own
            let listed = try await cli(["reclaim", "candidates"])
            #expect(listed.status == 0 && listed.stdout.contains("chat") && listed.stdout.contains("12 %") && listed.stdout.contains("30/30"), "\(listed.stdout)\(listed.stderr)")
            #expect(!listed.stdout.contains("busy"), "\(listed.stdout)")

            // Only operators confirm; a busy service cannot be; an open confirmation is not asked twice.
            #expect(try await api.post("/v1/services/chat/idle-confirmation", token: sam, json: [:]).status == 403)
            #expect(try await api.post("/v1/services/busy/idle-confirmation", token: op, json: [:]).status == 409)
            let asked = try await api.post("/v1/services/chat/idle-confirmation", token: op, json: [:])
            #expect(asked.status == 200 && asked.object["stage"] as? String == "asked", "\(asked.text)")
            let deadline = try #require((asked.object["confirmation"] as? [String: Any])?["deadline"] as? Double)
            #expect(deadline == clock.now + 3 * 86_400)
            #expect(try await api.post("/v1/services/chat/idle-confirmation", token: op, json: [:]).status == 409)

            // Before the deadline and without a release, no reclamation; the owner answers once.
            let early = try await api.post("/v1/services/chat/reclaim", token: op, json: ["action": "shrink", "replicas": 1, "reason": "idle"])
            #expect(early.status == 409 && early.text.contains("idleConfirmation"), "\(early.text)")
            #expect(try await api.post("/v1/services/chat/idle-confirmation/answer", token: sam, json: ["answer": "keep"]).status == 400)
            let both = try await cli(["reclaim", "answer", "chat", "--keep", "--release", "--reason", "x"], token: sam)
            #expect(both.status != 0 && both.stderr.contains("--keep"), "\(both.stderr)")
            let kept = try await cli(["reclaim", "answer", "chat", "--keep", "--reason", "launch in January"], token: sam)
            #expect(kept.status == 0 && kept.stdout.contains("kept"), "\(kept.stdout)\(kept.stderr)")
            #expect(try await api.post("/v1/services/chat/idle-confirmation/answer", token: sam, json: ["answer": "release", "reason": "x"]).status == 409)
            #expect(try await api.post("/v1/services/chat/reclaim", token: op, json: ["action": "shrink", "replicas": 1, "reason": "idle"]).status == 409)

            clock.advance(3 * 86_400 + 60)
            #expect(try await api.post("/v1/services/chat/reclaim", token: op, json: ["action": "shrink", "replicas": 2, "reason": "idle"]).status == 400)
            let table = try await cli(["reclaim", "shrink", "chat", "--replicas", "1", "--reason", "idle for a month"])
            #expect(table.status == 0 && table.stdout.contains("720 GPU-hours freed"), "\(table.stdout)\(table.stderr)")
            let open = try await api.get("/v1/reclamation/candidates", token: op)  // no confirmation open; the last days unreported
            #expect(open.array.isEmpty, "\(open.text)")
            let record = try #require(try reservoir.store.reclamations(since: 0, until: .infinity, tenant: "shop", page: PageRequest()).items.first)
            // Durable, for GET /v1/reclamations and the monthly report.
            #expect(record.kind == .service && record.reason == .idle && record.object == "chat" && record.gpuMilli == 1_000, "\(record)")
            #expect(record.freedGPUHours == 720 && (record.approvedBy ?? "").contains("deadline"), "\(record)")
            let review = try await cli(["grant", "review", "--month", "2026-11"])
            #expect(review.status == 0 && review.stdout.contains("rule (2026-11): reclaim when"), "\(review.stdout)\(review.stderr)")
            #expect(try await Self.running(reservoir, service: "chat", count: 1).count == 1)
            let service = try #require(try reservoir.store.service("chat"))
            #expect(service.desiredReplicas == 1 && service.maxReplicas == 1 && service.idleConfirmation == nil)

            let history = try await api.get("/v1/services/chat/history", token: sam)
            let kinds = history.array.map { $0["kind"] as? String ?? "?" }
            #expect(kinds == ["deployed", "idle-confirmation-asked", "idle-confirmation-answered", "reclaimed"], "\(history.text)")
            let topics = try reservoir.store.notifications(for: nil, page: PageRequest(limit: 100)).items.map(\.topic)
            for topic in ["service.idle-confirmation-asked", "service.idle-confirmation-answered", "service.reclaimed"] {
                #expect(topics.contains(topic), "\(topics)")
            }
        }
    }

    @Test("an interactive job idle past its timeout is warned, then stopped after the notice hours with a record; a busy one is left alone")
    func idleInteractiveJobReclaimed() async throws {
        let clock = ManualClock(1_793_491_200)
        try await Self.with(clock) { api, reservoir, sam in
            var ids: [String] = []
            for name in ["notebook", "busy-notebook"] {
                var job = Fixture.job(name, pool: "dev", runtime: 86_400 * 7)
                job["kind"] = "test"
                let submitted = try await api.post("/v1/jobs", token: sam, json: job)
                try #require(submitted.status == 201, "\(submitted.text)")
                let id = try #require(submitted.object["id"] as? String)
                #expect(try await api.waitForJob(id, token: sam) { $0 == "running" }.final == "running")
                ids.append(id)
            }
            func jobs() throws -> [Job] { try ids.map { try #require(try reservoir.store.job(JobID($0))) } }
            let (idle, busy) = (JobID(ids[0]), JobID(ids[1]))

            // 4 idle hours (the default timeout): a notice, nothing stopped.
            for _ in 0..<4 {
                let current = try jobs()
                try Self.sample(reservoir, jobs: [current[0]], util: 1, memoryMiB: 500)
                try Self.sample(reservoir, jobs: [current[1]], util: 70, memoryMiB: 30_000)
                clock.advance(3_600)
            }
            #expect(try await reservoir.idleAllocations.pass().isEmpty)
            let notices = try reservoir.store.notifications(for: nil, page: PageRequest(limit: 100)).items.filter { $0.topic == "job.idle-notice" }
            #expect(notices.count == 1 && notices.first?.id.hasPrefix("idle-job-\(idle)-") == true && notices.first?.recipient == .user("sam"), "\(notices)")
            #expect(try await reservoir.idleAllocations.pass().isEmpty)  // the notice is not sent twice

            // The notice hour passes, still idle: stopped through the cancel path, with its record.
            try Self.sample(reservoir, jobs: [try jobs()[0]], util: 1, memoryMiB: 500)
            clock.advance(3_600 + 60)
            let records = try await reservoir.idleAllocations.pass()
            #expect(records.map(\.object) == [idle.rawValue] && records.first?.reason == .idle && records.first?.kind == .job, "\(records)")
            #expect(records.first?.jobs == [idle] && records.first?.actor == "system:idle")
            #expect(try await api.waitForJob(idle.rawValue, token: sam) { $0 == "cancelled" }.final == "cancelled")
            #expect(try reservoir.store.job(busy)?.state == .running)
            #expect(try reservoir.store.reclamation("recl-job-\(idle)-1")?.freedGPUHours ?? 0 > 0)
            #expect(try await reservoir.idleAllocations.pass().isEmpty)  // stopped once, recorded once
        }
    }
}
