import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ReservoirComposition
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// The console tests' world: a reservoir with one pool, tenants alpha and beta (quota 4 GPUs guaranteed, 8 at most), an operator and a member of
/// each, served on a loopback port by the real server (API and console on one router, background services on).
enum ConsoleServer {
    static let operatorToken = "console-operator-token"
    static let quietLogger = Logger(label: "reservoir-console-test") { _ in SwiftLogNoOpLogHandler() }

    /// Pool `p1`: two nodes of 4 × A100-80GB in region `r1`.
    static let inventoryYAML = """
        regions:
          - id: r1
            clusters:
              - id: c1
                engine: simulated
                pools:
                  - id: p1
                    purpose: training
                    sharing: exclusive
                    nodes:
                      - {name: a100, count: 2, model: A100-80GB, gpus: 4, cpu: 32, memoryGiB: 256}
        """

    /// The tokens of the fixture's users.
    struct Tokens: Sendable {
        var `operator`: String = ConsoleServer.operatorToken
        /// alice, member of alpha.
        var alice: String
        /// bob, member of beta.
        var bob: String
    }

    /// A reservoir over `store` (in memory by default) on `clock` (the wall clock by default), with the fixture
    /// seeded when the store is new. Returns it with the users' tokens (issued on first seeding; nil later).
    static func makeReservoir(store: SQLiteStore? = nil, clock: ManualClock? = nil) throws -> (Reservoir, Tokens?) {
        let store = try store ?? SQLiteStore(path: nil)
        let wall: @Sendable () -> Double = { Date().timeIntervalSince1970 }
        let time = clock?.function ?? wall
        let engine = SimulatedEngine(nodes: [], speed: 1000, clock: time)
        let configuration = Reservoir.Configuration(cycleInterval: 0.1)
        let reservoir = Reservoir(store: store, engine: engine, configuration: configuration, logger: quietLogger, clock: time)
        guard try reservoir.access.bootstrap(operatorToken: operatorToken) else { return (reservoir, nil) }
        let admin = try reservoir.access.authenticate(bearer: operatorToken)
        _ = try reservoir.inventory.importDescription(yaml: inventoryYAML, by: admin)
        var secrets: [String] = []
        for (tenant, user) in [("alpha", "alice"), ("beta", "bob")] {
            _ = try reservoir.tenancy.createTenant(Tenant(id: TenantID(tenant)), by: admin)
            _ = try reservoir.tenancy.createUser(User(id: UserID(user), tenant: TenantID(tenant), roles: [.member]), by: admin)
            _ = try reservoir.tenancy.setQuota(Quota(tenant: TenantID(tenant), pool: PoolID("p1"), guaranteedMilli: 4_000, limitMilli: 8_000), by: admin)
            secrets.append(try reservoir.access.issueToken(for: UserID(user), by: admin).1)
        }
        return (reservoir, Tokens(alice: secrets[0], bob: secrets[1]))
    }

    /// Runs `body` against the live server over `reservoir`; the server stops when `body` returns.
    static func with<T: Sendable>(_ reservoir: Reservoir, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let app = CompositionRoot.application(reservoir, host: "127.0.0.1", port: 0)
        return try await app.test(.live) { client in try await body(try #require(client.port)) }
    }

    /// The fixture on a fresh in-memory store, served; `body` gets the port, the tokens and the reservoir.
    static func withFixture<T: Sendable>(
        clock: ManualClock? = nil, _ body: @Sendable (Int, Tokens, Reservoir) async throws -> T
    ) async throws -> T {
        let (reservoir, tokens) = try makeReservoir(clock: clock)
        let seeded = try #require(tokens)
        return try await with(reservoir) { port in try await body(port, seeded, reservoir) }
    }
}
