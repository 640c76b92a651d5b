import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// An Alertmanager on a loopback port: records every alert POSTed to `/api/v2/alerts`; while `failing`,
/// answers 503 and records nothing.
final class AlertmanagerReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [[String: Any]] = []
    private var down = false

    var alerts: [[String: Any]] { lock.withLock { seen } }
    var failing: Bool {
        get { lock.withLock { down } }
        set { lock.withLock { down = newValue } }
    }

    func listen<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/api/v2/alerts") { [self] request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let posted = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [[String: Any]] ?? []
            return lock.withLock {
                if down { return Response(status: .serviceUnavailable) }
                seen += posted
                return Response(status: .ok)
            }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: InProcessServer.quietLogger)
        return try await app.test(.live) { client in try await body("http://127.0.0.1:\(try #require(client.port))") }
    }
}

/// Alerts end to end: a job waiting over an hour fires the queue alert, Alertmanager receives it firing
/// on every pass with an `endsAt` moving ahead, then resolved once — on the next pass if the post failed —
/// (labels, startsAt, endsAt), `GET /v1/alerts` and `reservoir alerts` list it (operators),
/// members are refused.
@Suite("Alerts over HTTP, the CLI and Alertmanager", .serialized)
struct AlertsHTTPTests {
    static let t0 = 1_790_000_000.0

    @Test("queue wait fires and resolves; Alertmanager gets it firing on every pass (later endsAt), then resolved once; GET /v1/alerts, reservoir alerts [--all]")
    func queueAlertEndToEnd() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let receiver = AlertmanagerReceiver()
        try await receiver.listen { url in
            let clock = ManualClock(Self.t0)
            var configuration = Reservoir.Configuration(cycleInterval: 0.1)
            configuration.alerts.alertmanager.url = url
            configuration.alerts.underuseBelowPercent = 0  // only the queue rule speaks here
            configuration.notifications.pollIntervalSeconds = 0.05
            let engine = SimulatedEngine(nodes: [], speed: 1, clock: clock.function)
            let reservoir = Reservoir(
                store: try SQLiteStore(path: nil), engine: engine, configuration: configuration, logger: InProcessServer.quietLogger, clock: clock.function)
            try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
            let operatorPrincipal = Principal(user: User(id: "admin", roles: [.operator_]))
            let dir = try Executable.temporaryDirectory("reservoir-alerts-cli")
            defer { try? FileManager.default.removeItem(at: dir) }

            try await InProcessServer.with(reservoir) { api, _ in
                let tenancy = try await Fixture.setUp(api)
                // Alpha's limit is 4 GPUs: the first job holds them, the second waits.
                let holds = try await api.post("/v1/jobs", token: tenancy.alice, json: Fixture.job("holds", gpus: 4, runtime: 864_000))
                try #require(holds.status == 201, "\(holds.text)")
                try await Self.until { (try? reservoir.store.job(JobID(holds.object["id"] as? String ?? "")))??.state.holdsDevices == true }
                let submitted = try await api.post("/v1/jobs", token: tenancy.alice, json: Fixture.job("waits", gpus: 4, runtime: 864_000))
                try #require(submitted.status == 201, "\(submitted.text)")
                let job = JobID(try #require(submitted.object["id"] as? String))

                // The pass as the server runs it: the pass, then the Alertmanager's post (margin 4 × 60 s).
                let service = AlertService(reservoir: reservoir)
                func alertNotices() throws -> Int {
                    try reservoir.store.notifications(for: nil, page: PageRequest(limit: 1000)).items.filter { $0.topic.hasPrefix("alert.") }.count
                }
                clock.advance(3_601)
                try await service.passOnce()
                #expect(receiver.alerts.count == 1)
                let firing = try #require(receiver.alerts.first)
                let labels = firing["labels"] as? [String: String] ?? [:]
                #expect(labels == ["alertname": "ReservoirQueueWait", "severity": "warning", "subject": "pool:p1"], "\(firing)")
                #expect(firing["startsAt"] as? String == InstantText.iso(Self.t0 + 3_601))
                #expect(firing["endsAt"] as? String == InstantText.iso(Self.t0 + 3_601 + 240))
                #expect((firing["annotations"] as? [String: String])?["summary"]?.contains("scale out or change quotas") == true)

                // Still firing on the next pass: posted again, same start, a later end; no second notice.
                clock.advance(60)
                try await service.passOnce()
                #expect(receiver.alerts.count == 2)
                let again = receiver.alerts[1]
                #expect(again["labels"] as? [String: String] == labels && again["startsAt"] as? String == InstantText.iso(Self.t0 + 3_601))
                #expect(again["endsAt"] as? String == InstantText.iso(Self.t0 + 3_661 + 240), "\(again)")
                #expect(try alertNotices() == 1, "a re-post is not a notice")

                let listed = try await api.get("/v1/alerts?state=firing", token: Fixture.operatorToken)
                #expect(listed.status == 200 && listed.array.map { $0["alertName"] as? String } == ["ReservoirQueueWait"], "\(listed.text)")
                #expect(try await api.get("/v1/alerts", token: tenancy.alice).status == 403)
                let now = try await runCLI(["alerts"], server: api.base, token: Fixture.operatorToken, directory: dir)
                #expect(now.status == 0 && now.stdout.contains("ReservoirQueueWait") && now.stdout.contains("pool:p1"), "\(now.stdout)\(now.stderr)")

                // It resolves while Alertmanager is down: the resolution is posted with the next pass.
                _ = try await reservoir.jobs.cancel(job, by: operatorPrincipal)
                receiver.failing = true
                clock.advance(60)
                await #expect(throws: ReservoirError.self) { try await service.passOnce() }
                receiver.failing = false
                clock.advance(60)
                try await service.passOnce()
                #expect(receiver.alerts.count == 3)
                let resolved = receiver.alerts[2]
                #expect(resolved["labels"] as? [String: String] == labels && resolved["endsAt"] as? String == InstantText.iso(Self.t0 + 3_721), "when it resolved")
                clock.advance(60)
                try await service.passOnce()
                #expect(receiver.alerts.count == 3, "a resolution once, nothing while nothing fires: \(receiver.alerts)")
                #expect(try alertNotices() == 2, "one notice per firing and per resolution")

                let quiet = try await runCLI(["alerts"], server: api.base, token: Fixture.operatorToken, directory: dir)
                #expect(quiet.status == 0 && quiet.stdout.contains("nothing firing"), "\(quiet.stdout)")
                let all = try await runCLI(["alerts", "--all", "--json"], server: api.base, token: Fixture.operatorToken, directory: dir)
                let items = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]], "\(all.stdout)\(all.stderr)")
                #expect(items.map { $0["state"] as? String } == ["resolved"] && items.first?["resolvedAt"] as? Double == Self.t0 + 3_721)
            }
        }
    }

    /// Polls `condition` for up to 10 s.
    static func until(_ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(10)
        while !condition(), Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        try #require(condition(), "timed out")
    }
}
