import ReservoirCore
import ReservoirEngine
@testable import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

@Suite("Demo services")
struct DemoServicesTests {
    static let now = 1_764_000_000.0

    @Test("a fresh demo deploys its services as the tenants' demo members, with replicas submitted")
    func deployedAsMembers() async throws {
        let reservoir = Reservoir(
            store: try SQLiteStore(path: nil), engine: SimulatedEngine(nodes: [], clock: { Self.now }), logger: World.logger, clock: { Self.now })
        _ = try reservoir.demo.seed(by: World.operatorPrincipal)
        let deployed = try await reservoir.demo.deployServices()
        #expect(deployed == ["search-ranker", "image-tagger"])
        for id in deployed {
            let view = try reservoir.services.show(id, by: World.operatorPrincipal)
            #expect(view.service.createdBy.rawValue == "\(view.service.tenant)-member")
            #expect(view.replicas.desired == view.service.minReplicas && view.replicas.jobs.count == view.replicas.desired)
        }
    }

    @Test("the search ranker follows a working day and triples in a promotion ten minutes after the seed")
    func trafficHasDayAndSpike() throws {
        let specs = DemoContext.services(at: Self.now)
        let ranker = try #require(specs.first { $0.name == "search-ranker" }?.trafficProfile)
        let spike = try #require(ranker.spikes.first)
        #expect(spike.start == Self.now + 600 && spike.end == Self.now + 2_400)
        #expect(abs(ranker.qps(at: spike.start + 60) / ranker.qps(at: spike.start - 60) - 3) < 0.05)
        let day = (Self.now / 86_400).rounded(.down) * 86_400 + 86_400 * 3
        #expect(ranker.qps(at: day + 7 * 3_600) > 2 * ranker.qps(at: day + 19 * 3_600), "busy at 15:00 in Beijing, quiet at 03:00")
        for spec in specs { try spec.trafficProfile?.validate() }
    }
}
