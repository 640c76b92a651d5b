import Foundation
import GRDB
import ReservoirCore
import ReservoirServices
@testable import ReservoirStore
import ReservoirTestSupport
import Testing

/// The outbox is written in the transaction of the change it announces: a scaling commits with its
/// notice, a refused scaling leaves none, and a notice that cannot be written takes the scaling with it.
@Suite("Notification outbox: written with the change it announces")
struct NotificationOutboxTests {
    @Test("a manual scaling commits with its notice to the tenant; a deploy and a refused scaling leave none")
    func scalingNotice() async throws {
        let w = try ServicesWorld()
        _ = try await w.deploy()
        #expect(try w.store.notifications(for: nil, page: PageRequest()).items.isEmpty)
        await #expect(throws: ReservoirError.self) { try await w.reservoir.services.scale("ranker", to: 11, reason: "too many", by: w.member) }
        #expect(try w.store.notifications(for: nil, page: PageRequest()).items.isEmpty)

        _ = try await w.reservoir.services.scale("ranker", to: 1, reason: "quiet week", by: w.member)
        let adjustment = try #require(try w.history().last)
        let notices = try w.store.notifications(for: nil, page: PageRequest()).items
        #expect(notices.count == 1)
        let notice = try #require(notices.first)
        #expect(notice.id == "service-adjustment-\(adjustment.id)" && notice.recipient == .tenant("alpha") && notice.topic == "service.scaled")
        #expect(notice.state == .pending && notice.attempts == 0 && notice.nextAttemptAt == adjustment.at)
        let body = try JSONDecoder().decode([String: String].self, from: Data(notice.body.utf8))
        #expect(body["before"] == "2" && body["after"] == "1" && body["actor"] == "user:alice" && body["reason"] == "quiet week")

        // Who sees it: alice (tenant alpha) and operators; bob (beta) does not.
        #expect(try w.reservoir.notifications.notifications(page: PageRequest(), by: w.member).items.map(\.id) == [notice.id])
        #expect(try w.reservoir.notifications.notifications(page: PageRequest(), by: w.other).items.isEmpty)
        #expect(try w.reservoir.notifications.notifications(page: PageRequest(), by: ServicesWorld.op).items.count == 1)
        let agent = Principal(user: User(id: "node-agent", roles: [.agent]))
        #expect(throws: ReservoirError.self) { try w.reservoir.notifications.notifications(page: PageRequest(), by: agent) }
    }

    @Test("a notice that cannot be written rolls its scaling back: no adjustment, replicas unchanged")
    func rolledBackTogether() async throws {
        let w = try ServicesWorld()
        _ = try await w.deploy()
        try await w.store.db.write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_notice BEFORE INSERT ON notification_outbox
                BEGIN SELECT RAISE(ABORT, 'outbox refused'); END
                """)
        }
        await #expect(throws: (any Error).self) { try await w.reservoir.services.scale("ranker", to: 1, reason: "quiet week", by: w.member) }
        #expect(try w.history().map(\.kind) == [.deployed])
        #expect(try w.store.service("ranker")?.desiredReplicas == 2)
        #expect(try w.store.notifications(for: nil, page: PageRequest()).items.isEmpty)
    }

    @Test("notices by recipient: a user's own, its tenant's and its roles'")
    func audience() throws {
        let store = try SQLiteStore(path: nil)
        for (id, recipient) in [("a", NotificationRecipient.user("alice")), ("b", .tenant("alpha")), ("c", .role(.approver)), ("d", .tenant("beta"))] {
            try store.enqueueNotification(OutboxNotification(id: id, recipient: recipient, topic: "t", subject: "s", body: "{}", createdAt: 1))
        }
        try store.enqueueNotification(OutboxNotification(id: "a", recipient: .tenant("beta"), topic: "again", subject: "s", body: "{}", createdAt: 2))
        let alice = NotificationAudience(user: "alice", tenant: "alpha", roles: [.member, .approver])
        #expect(try store.notifications(for: alice, page: PageRequest()).items.map(\.id) == ["c", "b", "a"])
        #expect(try store.notifications(for: alice, page: PageRequest()).items.last?.topic == "t")
        #expect(try store.notifications(for: nil, page: PageRequest(limit: 2)).next != nil)
    }
}
