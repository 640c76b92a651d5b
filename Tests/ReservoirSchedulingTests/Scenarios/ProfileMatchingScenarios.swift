import ReservoirCore
import ReservoirPlacement
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

    // MARK: Device classes from resource profiles

    /// The pool's devices profiled as the server does (`ProfileBuilder`), `faulty` flagged by a fault.
    static func classified(_ nodes: [Node], faulty: Set<DeviceID> = []) -> (classes: [DeviceID: DeviceClass], unreliable: Set<DeviceID>) {
        let profiles = ProfileBuilder().profiles(ProfileBuilder.Input(
            nodes: nodes, catalog: .standard, faults30d: Dictionary(uniqueKeysWithValues: faulty.map { ($0, 1) })))
        return (Dictionary(uniqueKeysWithValues: profiles.map { ($0.device, $0.deviceClass) }), Set(profiles.filter(\.unreliable).map(\.device)))
    }

    static func run(_ jobs: [Job], nodes: [Node], faulty: Set<DeviceID> = []) -> CycleResult {
        var snapshot = Fixture.snapshot(nodes: nodes, pending: jobs)
        (snapshot.deviceClasses, snapshot.unreliableDevices) = classified(nodes, faulty: faulty)
        return SchedulingCycle(configuration: Fixture.config()).run(snapshot)
    }

    static func job(_ id: String, _ kind: WorkloadKind, at: Double = 0) -> Job {
        var job = Fixture.job(id, at: at)
        job.kind = kind
        return job
    }

    @Test("a mixed pool with profiled classes: inference on low-latency, training on large-memory, tests on economy — all at once")
    func eachKindLandsOnItsClass() throws {
        let nodes = Self.nodes + [Fixture.node("d-t4", gpus: 4, model: "T4"), Fixture.node("e-l40s", gpus: 4, model: "L40S")]
        let (classes, _) = Self.classified(nodes)
        let jobs = (0..<6).map { i in Self.job("j\(i)", [WorkloadKind.inference, .training, .test][i % 3], at: Double(i)) }
        let result = Self.run(jobs, nodes: nodes)
        for job in jobs {
            let node = try #require(result.decision(job.id.rawValue)?.placements.first?.node, "\(job.id) not placed")
            #expect(classes[Device.id(node: node, index: 0)] == DeviceClass.preferred(by: job.kind), "\(job.kind) on \(node)")
        }
    }

    @Test("a node with a recently faulty device loses to a healthy node of the same class; explain names class and faults")
    func faultsScoreDown() throws {
        let nodes = [Fixture.node("a-t4", gpus: 4, model: "T4"), Fixture.node("b-t4", gpus: 4, model: "T4"), Fixture.node("c-a100", gpus: 4, model: "A100-40GB")]
        #expect(Self.run([Self.job("t", .test)], nodes: nodes).decision("t")?.placements.first?.node == "a-t4")
        let avoided = Self.run([Self.job("t", .test)], nodes: nodes, faulty: ["a-t4/gpu2"])
        #expect(avoided.decision("t")?.placements.first?.node == "b-t4")
        // Both economy nodes faulty: the test job still goes to its class, and explain says so.
        let both = Self.run([Self.job("t", .test)], nodes: nodes, faulty: ["a-t4/gpu2", "b-t4/gpu0"])
        let rationale = try #require(both.decision("t")?.rationale)
        #expect(rationale.contains("profile: test job, prefers economy devices (lowest price per GPU-hour) → T4, economy class, 1 device of the node with recent faults (scored down)"), "\(rationale)")
        let inference = try #require(Self.run([Self.job("i", .inference)], nodes: nodes).decision("i")?.rationale)
        #expect(inference.contains("profile: inference job, prefers low-latency devices (memory bandwidth) → A100-40GB, low-latency class"), "\(inference)")
    }

    @Test("with no device of the preferred class free, explain says the job went elsewhere")
    func classFull() throws {
        let nodes = [Fixture.node("a-t4", gpus: 1, model: "T4"), Fixture.node("c-a100", gpus: 4, model: "A100-40GB")]
        var busy = Fixture.running(Fixture.job("busy"), on: [("a-t4", [0])])
        busy.kind = .test
        var snapshot = Fixture.snapshot(nodes: nodes, pending: [Self.job("t", .test)], active: [busy])
        (snapshot.deviceClasses, snapshot.unreliableDevices) = Self.classified(nodes)
        let rationale = try #require(SchedulingCycle(configuration: Fixture.config()).run(snapshot).decision("t")?.rationale)
        #expect(rationale.contains("profile: test job, prefers economy devices (lowest price per GPU-hour) → A100-40GB, low-latency class (no free economy device fitted)"), "\(rationale)")
    }
}
