import ReservoirCore
@testable import ReservoirScheduling
import Testing

/// Profile matching in the cycle: in a pool of several models the job's kind picks the model.
/// Catalog figures: A100-40GB has the most memory bandwidth here (1555 GB/s), L40S the most memory
/// (45 GiB), T4 the lowest price.
@Suite("Profile matching in the cycle")
struct ProfileMatchingScenarios {
    static let nodes = [
        Fixture.node("a-t4", gpus: 4, model: "T4"), Fixture.node("b-l40s", gpus: 4, model: "L40S"),
        Fixture.node("c-a100", gpus: 4, model: "A100-40GB"),
    ]

    /// The node one job of `kind` lands on in an empty pool under `policy`.
    static func landing(_ kind: WorkloadKind, policy: String = "reservoir") -> NodeID? {
        var job = Fixture.job("j")
        job.kind = kind
        var config = Fixture.config()
        config.placementPolicy = policy
        return SchedulingCycle(configuration: config).run(Fixture.snapshot(nodes: nodes, pending: [job]))
            .decision("j")?.placements.first?.node
    }

    @Test("a job's kind is on every pod request made from it")
    func kindOnPodRequests() {
        for kind in WorkloadKind.allCases {
            var job = Fixture.job("j")
            job.kind = kind
            #expect(job.podRequest(models: nil).kind == kind)
            #expect(job.podRequest(models: ["T4"]).kind == kind)
        }
    }

    @Test("inference lands on the fastest memory, training on the largest, tests on the cheapest")
    func kindPicksModel() {
        #expect(Self.landing(.inference) == "c-a100")
        #expect(Self.landing(.training) == "b-l40s")
        #expect(Self.landing(.test) == "a-t4")
    }

    @Test("without a preference (batch) or under fgd, every kind lands on the same node")
    func withoutProfilesKindChangesNothing() {
        let batch = Self.landing(.batch)
        #expect(Set([WorkloadKind.inference, .training, .test].map { Self.landing($0) }).count == 3)
        #expect([WorkloadKind.inference, .training, .test].filter { Self.landing($0) != batch }.count >= 2)
        let fgd = Set(WorkloadKind.allCases.map { Self.landing($0, policy: "fgd") })
        #expect(fgd.count == 1)
    }

    @Test("explain says the profile played a part")
    func explainNamesProfile() throws {
        var job = Fixture.job("j")
        job.kind = .inference
        let result = SchedulingCycle(configuration: Fixture.config()).run(Fixture.snapshot(nodes: Self.nodes, pending: [job]))
        let rationale = try #require(result.decision("j")?.rationale)
        #expect(rationale.contains("profile: inference job, prefers memory bandwidth → A100-40GB"), "\(rationale)")
    }
}
