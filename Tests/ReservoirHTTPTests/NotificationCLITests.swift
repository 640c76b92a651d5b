import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// `reservoir notifications` against a live server: a member sees its tenant's notices, an operator
/// all of them, each with its delivery state; `--limit` bounds the list.
@Suite("Notifications CLI against a live server")
struct NotificationCLITests {
    @Test("reservoir notifications [--limit] as a member and as an operator")
    func listNotifications() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let reservoir = try InProcessServer.makeReservoir(speed: 1)
        let logins = try reservoir.demo.seed(by: Principal(user: User(id: "admin", roles: [.operator_])))
        let login = try #require(logins.first { $0.user == "search-member" })
        let tenant = try #require(try reservoir.store.users(tenant: nil).first { $0.id.rawValue == login.user }?.tenant)
        for (id, recipient) in [("n-own", NotificationRecipient.tenant(tenant)), ("n-other", .tenant("somebody-else"))] {
            try reservoir.store.enqueueNotification(
                OutboxNotification(id: id, recipient: recipient, topic: "service.scaled", subject: "subject of \(id)", body: "{}", createdAt: reservoir.now()))
        }
        let dir = try Executable.temporaryDirectory("reservoir-notifications-cli")
        defer { try? FileManager.default.removeItem(at: dir) }

        try await InProcessServer.with(reservoir) { api, _ in
            let mine = try await runCLI(["notifications"], server: api.base, token: login.token, directory: dir)
            #expect(mine.status == 0 && mine.stdout.contains("subject of n-own") && !mine.stdout.contains("n-other"), "\(mine.stdout)\(mine.stderr)")
            #expect(mine.stdout.contains("tenant:\(tenant)"))
            let all = try await runCLI(["notifications", "--json"], server: api.base, token: Fixture.operatorToken, directory: dir)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]], "\(all.stdout)\(all.stderr)")
            #expect(Set(items.compactMap { $0["id"] as? String }).isSuperset(of: ["n-own", "n-other"]))
            #expect(items.allSatisfy { ["pending", "delivered", "failed"].contains($0["state"] as? String ?? "") })
            let one = try await runCLI(["notifications", "--limit", "1", "--json"], server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect((try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [Any])?.count == 1, "\(one.stdout)")
        }
    }
}
