import Foundation
import ReservoirCore
import ReservoirStore
import Testing

/// A lease across `kill -9` with the real `reservoir serve` process, each life on a clock shifted further
/// ahead (`server.clockOffsetSeconds`): the 1-day notice goes out once, the reclamation at the end completes
/// once, and nothing reaches the webhook twice however often the server dies in between.
@Suite("Crash test: a lease's notice and reclamation across kill -9 (real server, shifted clock)", .serialized)
struct LeaseCrashTests {
    static let hour = 3_600.0
    /// The lease asked for: two days, so the 7- and 3-day notices are already past at grant time.
    static let leaseHours = 48.0

    @Test("kill -9 between the 1-day notice and the reclamation: the notice is sent once, the reclamation completes once")
    func noticeKillExpiry() async throws {
        let dir = try Executable.temporaryDirectory("reservoir-lease-crash")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataDir = dir.appendingPathComponent("data")
        let database = dataDir.appendingPathComponent("reservoir.sqlite").path
        let receiver = WebhookReceiver()
        try await receiver.listen { url in
            /// One life of the server, `hoursAhead` of the wall clock.
            @Sendable func life(_ hoursAhead: Double) async throws -> (Child, API) {
                try await CrashTests.start(dataDir: dataDir, in: dir, environment: [
                    "RESERVOIR_SERVER_CLOCK_OFFSET_SECONDS": "\(hoursAhead * Self.hour)",
                    "RESERVOIR_NOTIFICATIONS_WEBHOOK_URL": url,
                    "RESERVOIR_NOTIFICATIONS_POLL_INTERVAL_SECONDS": "0.1",
                    "RESERVOIR_SCHEDULER_PREEMPTION_GRACE_SECONDS": "1",
                ])
            }
            let op = Fixture.operatorToken

            // Life 1 (now): a 48-hour L2 lease, auto-approved, with a month-long job running under it.
            let (first, api) = try await life(0)
            let t = try await Fixture.setUp(api)
            let form = try RequestsHTTPTests.example("request-training-l2.yaml")
                .replacingOccurrences(of: "durationHours: 24 ", with: "durationHours: \(Int(Self.leaseHours)) ")
                .replacingOccurrences(of: "runtimeSeconds: 3600", with: "runtimeSeconds: 2592000")
            let r = try await api.send(.POST, "/v1/requests", token: t.alice, body: form, contentType: "application/yaml")
            try #require(r.status == 201, "\(r.text)")
            let grant = try #require((r.object["grant"] as? [String: Any])?["id"] as? String, "\(r.text)")
            let job = try #require((r.object["job"] as? [String: Any])?["id"] as? String, "\(r.text)")
            let started = try await api.waitForJob(job, token: t.alice) { $0 == "running" }
            try #require(started.final == "running", "\(started.seen)")
            let aboutGrant = { receiver.deliveries.filter { $0.subject.contains(grant) || $0.body.contains(grant) } }
            let beforeNotice = aboutGrant()
            first.kill9()

            // Life 2: 25 hours ahead, past the 1-day notice, before the end. The notice goes out; then kill -9.
            let (second, api2) = try await life(Self.leaseHours - 23)
            var shown: [String: Any] = [:]
            let noticeDeadline = Date().addingTimeInterval(20)
            repeat {
                shown = try await Self.grant(grant, api2)
                let leaseNotices = aboutGrant().filter { !beforeNotice.contains($0) && !$0.topic.hasPrefix("request.") }
                if (shown["noticesSent"] as? [Int] ?? []).contains(1), !leaseNotices.isEmpty { break }
                try await Task.sleep(nanoseconds: 100_000_000)
            } while Date() < noticeDeadline
            #expect((shown["noticesSent"] as? [Int] ?? []).contains(1), "the 1-day notice is not marked: \(shown)")
            #expect(shown["state"] as? String == "active", "reclaimed before its end: \(shown)")
            // The lease notice (not the request's own lifecycle notices, `request.*`).
            let notices = aboutGrant().filter { !beforeNotice.contains($0) && !$0.topic.hasPrefix("request.") }
            #expect(!notices.isEmpty, "no lease notice about \(grant) reached the webhook: \(aboutGrant().map(\.topic))")
            try await Task.sleep(nanoseconds: 500_000_000)  // let a (wrong) second send show itself
            second.kill9()
            let noticedDays = shown["noticesSent"] as? [Int] ?? []

            // Life 3: past the end. The reclamation completes: the grant is no longer active, its job stopped, one record.
            let (third, api3) = try await life(Self.leaseHours + 1)
            var reclaimed: [String: Any] = [:]
            let endDeadline = Date().addingTimeInterval(30)
            repeat {
                reclaimed = try await Self.grant(grant, api3)
                if reclaimed["state"] as? String != "active" { break }
                try await Task.sleep(nanoseconds: 100_000_000)
            } while Date() < endDeadline
            #expect(reclaimed["state"] as? String != "active", "still active after its end: \(reclaimed)")
            let stopped = try await api3.waitForJob(job, token: op, timeout: 20) { !["queued", "admitted", "running"].contains($0) }
            let shownJob = try await api3.get("/v1/jobs/\(job)", token: op).text
            let events = try await api3.get("/v1/jobs/\(job)/events", token: op).text
            #expect(!["queued", "admitted", "running"].contains(stopped.final), "the job under the reclaimed lease is \(stopped.seen): \(shownJob) \(events)")
            try await Task.sleep(nanoseconds: 500_000_000)
            third.kill9()
            let records = try Self.reclamations(of: grant, database)
            #expect(records.count == 1, "\(records.count) reclamation records for \(grant): \(records)")
            #expect(records.first?.reason == .expiry && records.first?.actor == "system:leases" && records.first?.jobs == [JobID(job)], "\(records)")

            // Life 4: later still. Nothing repeats: one record, the same notices marked, no notice sent again.
            let (fourth, api4) = try await life(Self.leaseHours + 2)
            try await Task.sleep(nanoseconds: 3_000_000_000)  // a lease pass at start and a few delivery polls
            #expect(try await Self.grant(grant, api4)["noticesSent"] as? [Int] == noticedDays)
            fourth.kill9()
            #expect(try Self.reclamations(of: grant, database).count == 1, "reclaimed again after a restart")
            // Delivery is at-least-once: a kill -9 between a 2xx and its mark sends that notice again under the
            // same id, which a receiver that deduplicates by id drops. What must never happen is the same notice
            // under two ids (announced twice), and each lease notice goes out under one id.
            var seenKeys = Set<String>()
            let distinct = aboutGrant().filter { seenKeys.insert($0.key).inserted }
            let repeatedNotices = Dictionary(grouping: distinct, by: { "\($0.topic) \($0.subject)" }).filter { $0.value.count > 1 }.keys
            #expect(repeatedNotices.isEmpty, "the same notice announced twice: \(repeatedNotices.sorted())")
            let leaseNotices = distinct.filter { $0.topic == "lease.notice" }.count
            #expect((1...max(1, noticedDays.count)).contains(leaseNotices), "\(leaseNotices) lease notices for \(noticedDays): \(distinct.map(\.topic))")
            print("lease crash test: \(aboutGrant().count) deliveries about \(grant): \(aboutGrant().map(\.topic)); notices marked \(noticedDays)")
        }
    }

    /// The grant as the operator sees it (the grant's own fields).
    static func grant(_ id: String, _ api: API) async throws -> [String: Any] {
        let r = try await api.get("/v1/grants/\(id)", token: Fixture.operatorToken)
        try #require(r.status == 200, "\(r.text)")
        return r.object["grant"] as? [String: Any] ?? r.object
    }

    /// The reclamation records of one grant, read from the database of a stopped server.
    static func reclamations(of grant: String, _ database: String) throws -> [ReclamationRecord] {
        try SQLiteStore(path: database).reclamations(since: 0, until: .greatestFiniteMagnitude, tenant: nil, page: PageRequest(limit: 1_000))
            .items.filter { $0.object == grant }
    }
}
