import ReservoirCore
import ReservoirEngine
@testable import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

@Suite("Demo leases")
struct DemoLeasesTests {
    static let now = 1_764_000_000.0

    @Test("a fresh demo has leases in every state and a month of reclamation records, each dated when it happened")
    func everyState() async throws {
        let store = try SQLiteStore(path: nil)
        let reservoir = Reservoir(store: store, engine: SimulatedEngine(nodes: [], clock: { Self.now }), logger: World.logger, clock: { Self.now })
        _ = try reservoir.demo.seed(by: World.operatorPrincipal)
        let grants = try reservoir.grants.grants(tenant: nil, state: nil, emergency: nil, page: PageRequest(limit: 1_000), by: World.operatorPrincipal)
            .items.map(\.grant)
        let extensions = grants.flatMap { $0.extensions ?? [] }
        for state in [LeaseExtension.State.pending, .approved, .refused] {
            #expect(extensions.contains { $0.state == state }, "no \(state) extension among \(extensions)")
        }
        #expect(grants.contains { $0.state == .active && !($0.noticesSent ?? []).isEmpty }, "no running lease has had a notice")
        #expect(grants.contains { $0.state == .returned } && grants.contains { $0.state == .reclaimed })

        let records = try store.reclamations(since: Self.now - 31 * 86_400, until: Self.now + 1, tenant: nil, page: PageRequest(limit: 1_000)).items
        #expect(Set(records.map(\.reason)).isSuperset(of: [.expiry, .voluntary, .forced]), "\(records.map(\.reason))")
        #expect(records.allSatisfy { $0.at < Self.now && $0.at > Self.now - 31 * 86_400 }, "recorded in the past month: \(records.map(\.at))")
        #expect(records.filter { $0.reason == .forced }.allSatisfy { !($0.approvedBy ?? "").isEmpty })
        #expect(Set(records.map(\.id)).count == records.count)

        // Seeding is once: a second start adds nothing.
        _ = try reservoir.demo.seed(by: World.operatorPrincipal)
        #expect(try store.reclamations(since: 0, until: Self.now + 1, tenant: nil, page: PageRequest(limit: 1_000)).items.count == records.count)
    }
}
