import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import Testing

/// Tokens have a creation time, an optional expiry and a last-used time; expired tokens and
/// disabled users are refused with 401.
@Suite("Token lifetimes")
struct TokenLifetimeTests {
    /// The wall clock plus an offset the test moves forward.
    final class ShiftedClock: @unchecked Sendable {
        private let lock = NSLock()
        private var offset: Double = 0
        var now: Double { lock.withLock { Date().timeIntervalSince1970 + offset } }
        func advance(_ seconds: Double) { lock.withLock { offset += seconds } }
    }

    static func reservoir(_ clock: ShiftedClock) throws -> Reservoir {
        let engine = SimulatedEngine(nodes: [], speed: 1000, clock: { Date().timeIntervalSince1970 })
        let reservoir = Reservoir(
            store: try SQLiteStore(path: nil), engine: engine, configuration: .init(cycleInterval: 0.1),
            logger: InProcessServer.quietLogger, clock: { clock.now })
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        return reservoir
    }

    @Test("an expiring token works until it expires, then answers 401; last use is recorded at most once a minute")
    func expiry() async throws {
        let clock = ShiftedClock()
        try await InProcessServer.with(try Self.reservoir(clock)) { api, _ in
            _ = try await Fixture.setUp(api)
            let past = try await api.post("/v1/tokens", token: Fixture.operatorToken, json: ["user": "alice", "expiresAt": clock.now - 10])
            #expect(past.status == 400 && past.errorField == "expiresAt", "\(past.text)")
            let issued = try await api.post("/v1/tokens", token: Fixture.operatorToken, json: ["user": "alice", "expiresAt": clock.now + 3600])
            #expect(issued.status == 201)
            let secret = try #require(issued.object["token"] as? String)
            let id = try #require(issued.object["id"] as? String)
            #expect(try await api.get("/v1/jobs", token: secret).status == 200)
            func listed() async throws -> [String: Any] {
                try #require(try await api.get("/v1/tokens", token: Fixture.operatorToken).array.first { $0["id"] as? String == id })
            }
            let firstUse = try #require(try await listed()["lastUsedAt"] as? Double)
            let token = try await listed()
            #expect(token["expiresAt"] as? Double != nil && token["createdAt"] is Double)
            _ = try await api.get("/v1/jobs", token: secret)
            #expect(try await listed()["lastUsedAt"] as? Double == firstUse, "last use is written at most once a minute")
            clock.advance(120)
            _ = try await api.get("/v1/jobs", token: secret)
            #expect((try await listed()["lastUsedAt"] as? Double ?? 0) > firstUse)

            clock.advance(3600)
            let expired = try await api.get("/v1/jobs", token: secret)
            #expect(expired.status == 401 && expired.errorMessage.contains("expired"), "\(expired.text)")
        }
    }

    @Test("tokens create --expires-in 30d sets the expiry; tokens list shows it without the secret")
    func cliExpiresIn() async throws {
        let dir = try Executable.temporaryDirectory("reservoir-tokens")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with { api, _ in
            _ = try await Fixture.setUp(api)
            let created = try await runCLI(["tokens", "create", "--user", "alice", "--expires-in", "30d", "--json"], server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect(created.status == 0, "\(created.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])
            let expiresAt = try #require(object["expiresAt"] as? Double)
            #expect(abs(expiresAt - (Date().timeIntervalSince1970 + 30 * 86_400)) < 120)
            let secret = try #require(object["token"] as? String)
            let list = try await runCLI(["tokens"], server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect(list.status == 0 && list.stdout.contains("EXPIRES") && !list.stdout.contains(secret), "\(list.stdout)")
            let bad = try await runCLI(["tokens", "create", "--user", "alice", "--expires-in", "soon"], server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect(bad.status != 0)
        }
    }
}
