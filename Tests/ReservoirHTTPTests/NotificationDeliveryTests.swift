import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import ReservoirCore
import ReservoirEngine
@testable import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// The process died right after the webhook answered: nothing more reaches the outbox.
struct Crash: Error {}

/// An outbox whose writes fail, as if the worker stopped between a send and its mark.
final class CrashingOutbox: NotificationStore, @unchecked Sendable {
    let store: SQLiteStore
    init(_ store: SQLiteStore) { self.store = store }
    func enqueueNotification(_ notification: OutboxNotification) throws { throw Crash() }
    func notifications(for audience: NotificationAudience?, page: PageRequest) throws -> Page<OutboxNotification> {
        try store.notifications(for: audience, page: page)
    }
    func notification(_ id: String) throws -> OutboxNotification? { try store.notification(id) }
    func dueNotifications(at now: Double, limit: Int) throws -> [OutboxNotification] { try store.dueNotifications(at: now, limit: limit) }
    func nextNotificationDue() throws -> Double? { try store.nextNotificationDue() }
    func recordNotificationAttempt(_ id: String, at: Double, error: String?, retryAt: Double?) throws { throw Crash() }
}

@Suite("Notification delivery: webhook retries, back-off, giving up, restart mid-delivery")
struct NotificationDeliveryTests {
    static let t0 = 1_700_000_000.0

    static func reservoir(store: SQLiteStore, clock: ManualClock, webhook url: String, maxAttempts: Int = 5) -> Reservoir {
        var configuration = Reservoir.Configuration()
        configuration.notifications.webhook.url = url
        configuration.notifications.webhook.maxAttempts = maxAttempts
        configuration.notifications.webhook.backoffSeconds = 30
        configuration.notifications.pollIntervalSeconds = 0.05
        let engine = SimulatedEngine(nodes: [], speed: 1, clock: clock.function)
        return Reservoir(store: store, engine: engine, configuration: configuration, logger: InProcessServer.quietLogger, clock: clock.function)
    }

    static func notice(_ id: String = "n1") -> OutboxNotification {
        OutboxNotification(id: id, recipient: .tenant("alpha"), topic: "service.scaled", subject: "ranker scaled", body: "{}", createdAt: t0)
    }

    @Test("a 500 is tried again after 30 s, then 60 s (doubling, on Reservoir's clock), with the same id, until a 2xx marks it delivered")
    func retriesWithBackoff() async throws {
        let receiver = WebhookReceiver(answers: [500, 503])
        try await receiver.listen { url in
            let clock = ManualClock(Self.t0)
            let store = try SQLiteStore(path: nil)
            let reservoir = Self.reservoir(store: store, clock: clock, webhook: url)
            let channels = NotificationDeliveryService.configuredChannels(reservoir)
            #expect(channels.count == 2)
            try store.enqueueNotification(Self.notice())

            #expect(try await reservoir.notifications.deliverDue(through: channels) == 0)
            var row = try #require(try store.notification("n1"))
            #expect(row.state == .pending && row.attempts == 1 && row.nextAttemptAt == Self.t0 + 30 && row.lastError?.contains("500") == true)
            #expect(try await reservoir.notifications.deliverDue(through: channels) == 0)
            #expect(receiver.received.count == 1)  // not due yet

            clock.advance(30)
            #expect(try await reservoir.notifications.deliverDue(through: channels) == 0)
            row = try #require(try store.notification("n1"))
            #expect(row.attempts == 2 && row.nextAttemptAt == Self.t0 + 30 + 60)
            clock.advance(59)
            #expect(try await reservoir.notifications.deliverDue(through: channels) == 0)
            #expect(receiver.received.count == 2)

            clock.advance(1)
            #expect(try await reservoir.notifications.deliverDue(through: channels) == 1)
            row = try #require(try store.notification("n1"))
            #expect(row.state == .delivered && row.attempts == 3 && row.deliveredAt == Self.t0 + 90 && row.nextAttemptAt == nil)
            #expect(receiver.received == ["n1", "n1", "n1"])
        }
    }

    @Test("after maxAttempts failures a notice is given up: kept, marked failed with its last error, never sent again")
    func givesUp() async throws {
        let receiver = WebhookReceiver(answers: [500, 500, 500, 500])
        try await receiver.listen { url in
            let clock = ManualClock(Self.t0)
            let store = try SQLiteStore(path: nil)
            let reservoir = Self.reservoir(store: store, clock: clock, webhook: url, maxAttempts: 2)
            try store.enqueueNotification(Self.notice())
            let channels = NotificationDeliveryService.configuredChannels(reservoir)
            try await reservoir.notifications.deliverDue(through: channels)
            clock.advance(30)
            try await reservoir.notifications.deliverDue(through: channels)
            clock.advance(86_400)
            try await reservoir.notifications.deliverDue(through: channels)
            #expect(receiver.received.count == 2)
            let row = try #require(try store.notification("n1"))
            #expect(row.state == .failed && row.attempts == 2 && row.failedAt == Self.t0 + 30 && row.nextAttemptAt == nil && row.lastError?.contains("500") == true)
            let op = Principal(user: User(id: "admin", roles: [.operator_]))
            #expect(try reservoir.notifications.notifications(page: PageRequest(), by: op).items.map(\.state) == [.failed])
        }
    }

    @Test("stopped between the send and the mark, the restarted worker sends it again with the same id: nothing lost, one notice for a deduplicating receiver")
    func restartMidDelivery() async throws {
        let receiver = WebhookReceiver()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await receiver.listen { url in
            let clock = ManualClock(Self.t0)
            do {
                let store = try SQLiteStore(path: path)
                let reservoir = Self.reservoir(store: store, clock: clock, webhook: url)
                try store.enqueueNotification(Self.notice())
                let dying = NotificationsContext(store: CrashingOutbox(store), runtime: reservoir.runtime)
                await #expect(throws: Crash.self) { try await dying.deliverDue(through: NotificationDeliveryService.configuredChannels(reservoir)) }
                #expect(receiver.received == ["n1"])
                let row = try #require(try store.notification("n1"))
                #expect(row.state == .pending && row.attempts == 0)
            }
            // Restart: a new process over the same database runs the real worker.
            let store = try SQLiteStore(path: path)
            let reservoir = Self.reservoir(store: store, clock: clock, webhook: url)
            let worker = NotificationDeliveryService(reservoir: reservoir, channels: NotificationDeliveryService.configuredChannels(reservoir))
            let running = Task { try await worker.run() }
            let deadline = Date().addingTimeInterval(10)
            while try store.notification("n1")?.state != .delivered, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
            running.cancel()
            _ = try? await running.value
            #expect(try store.notification("n1")?.state == .delivered)
            #expect(receiver.received == ["n1", "n1"] && Set(receiver.received).count == 1)
        }
    }
}
