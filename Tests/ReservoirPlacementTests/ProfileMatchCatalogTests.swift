import ReservoirCore
import Testing
@testable import ReservoirPlacement

/// Profile matching resolves a node's model once per spelling instead of asking the catalog for
/// every node it scores; the answer must stay exactly the catalog's (`GPUCatalog.model(named:)`):
/// any spelling, any case, and no fit for a model the catalog does not know (the openb G2 and G3).
@Suite struct ProfileMatchCatalogTests {
    @Test("the fit for every spelling, in any case, is the one the catalog's lookup gives", arguments: WorkloadKind.allCases)
    func fitMatchesCatalogLookup(kind: WorkloadKind) {
        let catalog = GPUCatalog.standard
        let score = ProfileMatchScore(catalog: catalog)
        let spellings = catalog.models.flatMap { [$0.name] + $0.aliases } + ["G2", "G3", "", "no such gpu"]
        for spelling in spellings {
            for written in [spelling, spelling.uppercased(), spelling.lowercased()] {
                let cluster = ClusterState(nodes: [Fixture.node("n", model: written)])
                let expected = catalog.model(named: written).map { $0.opaque ? 0 : ProfileMatchScore.fit(kind, $0) } ?? 0
                #expect(score.score(Fixture.pod(kind: kind), node: 0, in: cluster) == expected, "\(written)")
            }
        }
    }

    @Test("a catalog with two models sharing a spelling answers with the first, as the catalog does")
    func firstModelWins() {
        var catalog = GPUCatalog(models: [])
        catalog.upsert(GPUModel(name: "X1", memoryMiB: 10_000, fp16TFLOPS: 1, bf16TFLOPS: 1, memoryBandwidthGBps: 100, pricePerHour: 1, aliases: ["shared"]))
        catalog.upsert(GPUModel(name: "X2", memoryMiB: 90_000, fp16TFLOPS: 1, bf16TFLOPS: 1, memoryBandwidthGBps: 100, pricePerHour: 1, aliases: ["SHARED"]))
        let cluster = ClusterState(nodes: [Fixture.node("n", model: "Shared")])
        let expected = ProfileMatchScore.fit(.training, catalog.model(named: "Shared")!)
        #expect(ProfileMatchScore(catalog: catalog).score(Fixture.pod(kind: .training), node: 0, in: cluster) == expected)
        #expect(expected == ProfileMatchScore.fit(.training, catalog.models[0]))
    }
}
