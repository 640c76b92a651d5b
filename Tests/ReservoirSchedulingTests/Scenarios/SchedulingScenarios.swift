import ReservoirCore
import ReservoirScheduling
import Testing

/// Volcano-style scenarios: inventory and jobs in, decisions, evictions, resizes and reasons out.
struct Scenario: CustomTestStringConvertible, Sendable {
    var name: String
    var snapshot: SchedulingSnapshot
    var configuration = Fixture.config()
    var started: Set<String> = []
    var evicted: Set<String> = []
    /// job → (from, to)
    var resized: [String: [Int]] = [:]
    /// job → pending kind
    var waiting: [String: String] = [:]
    var reserved: String?
    var check: (@Sendable (CycleResult) -> Void)?

    var testDescription: String { name }
}

enum Scenarios {
    static let node8 = [Fixture.node("n1")]

    static let all: [Scenario] = [
        Scenario(
            name: "gang waits whole when only part fits",
            snapshot: Fixture.snapshot(nodes: [Fixture.node("n1", gpus: 4), Fixture.node("n2", gpus: 4)],
                                       pending: [Fixture.job("g", gpus: 3, replicas: 3)]),
            waiting: ["g": PendingKind.gang]
        ),
        Scenario(
            name: "higher class evicts the victim with the least lost work",
            snapshot: Fixture.snapshot(
                now: 10_000, nodes: node8, pending: [Fixture.job("urgent", gpus: 4, priority: .p1, at: 9_000)],
                active: [
                    Fixture.running(Fixture.job("old", gpus: 4, priority: .p3), on: [("n1", [0, 1, 2, 3])], startedAt: 0),
                    Fixture.running(Fixture.job("new", gpus: 4, priority: .p3), on: [("n1", [4, 5, 6, 7])], startedAt: 9_500),
                ]),
            started: ["urgent"], evicted: ["new"]
        ),
        Scenario(
            name: "non-preemptible and equal-class work is never evicted",
            snapshot: Fixture.snapshot(
                nodes: node8, pending: [Fixture.job("p2", gpus: 4, priority: .p2), Fixture.job("p0", gpus: 8, priority: .p0)],
                active: [
                    Fixture.running(Fixture.job("keep", gpus: 4, priority: .p3, preemptible: false), on: [("n1", [0, 1, 2, 3])]),
                    Fixture.running(Fixture.job("same", tenant: "t2", gpus: 4, priority: .p2), on: [("n1", [4, 5, 6, 7])]),
                ]),
            waiting: ["p2": PendingKind.capacity, "p0": PendingKind.capacity]
        ),
        Scenario(
            name: "owner reclaims its guarantee from a borrower of its own class",
            snapshot: Fixture.snapshot(
                nodes: node8, pending: [Fixture.job("mine", tenant: "owner", gpus: 4)],
                active: [Fixture.running(Fixture.job("lent", tenant: "borrower", gpus: 8), on: [("n1", Array(0..<8))])],
                quotas: [
                    Quota(tenant: "owner", pool: Fixture.pool, guaranteedMilli: 6_000, limitMilli: 8_000),
                    Quota(tenant: "borrower", pool: Fixture.pool, guaranteedMilli: 2_000, limitMilli: 8_000),
                ], tenants: ["owner", "borrower"]),
            started: ["mine"], evicted: ["lent"],
            check: { r in #expect(r.evictions.first?.reason == "reclaim") }
        ),
        Scenario(
            name: "elastic job shrinks toward its minimum before anyone is evicted",
            snapshot: Fixture.snapshot(
                nodes: node8, pending: [Fixture.job("p1", gpus: 4, priority: .p1)],
                active: [Fixture.running(Fixture.job("elastic", gpus: 1, replicas: 8, min: 2, priority: .p3), on: (0..<8).map { ("n1", [$0]) })]),
            started: ["p1"], resized: ["elastic": [8, 4]]
        ),
        Scenario(
            name: "elastic job grows into idle capacity",
            snapshot: Fixture.snapshot(
                nodes: node8,
                active: [Fixture.running(Fixture.job("elastic", gpus: 1, replicas: 2, min: 2, max: 6), on: [("n1", [0]), ("n1", [1])])]),
            resized: ["elastic": [2, 6]]
        ),
        Scenario(
            name: "backfill runs a short job ahead of the reservation, not a long one",
            snapshot: Fixture.snapshot(
                nodes: node8,
                pending: [
                    Fixture.job("big", gpus: 7, priority: .p1, runtime: 3_600),
                    Fixture.job("short", gpus: 2, priority: .p3, runtime: 500, at: 1),
                    Fixture.job("long", gpus: 2, priority: .p3, runtime: 5_000, at: 2),
                ],
                active: [Fixture.running(Fixture.job("a", gpus: 4, priority: .p1, preemptible: false, runtime: 1_000), on: [("n1", [0, 1, 2, 3])])]),
            started: ["short"], waiting: ["big": PendingKind.capacity, "long": PendingKind.reservation], reserved: "big"
        ),
        Scenario(
            name: "quota limit explains the wait",
            snapshot: Fixture.snapshot(
                nodes: node8, pending: [Fixture.job("greedy", gpus: 4)],
                quotas: [Quota(tenant: "t1", pool: Fixture.pool, guaranteedMilli: 0, limitMilli: 2_000)], tenants: ["t1"]),
            waiting: ["greedy": PendingKind.quota]
        ),
        Scenario(
            name: "dynamic reserve is kept for P0",
            snapshot: Fixture.snapshot(
                nodes: node8, pending: [Fixture.job("p2", gpus: 7), Fixture.job("p0", gpus: 7, priority: .p0, at: 1)],
                reservedFraction: 0.25),
            started: ["p0"], waiting: ["p2": PendingKind.class]
        ),
        Scenario(
            name: "fair share serves the tenant with the smaller dominant share first",
            snapshot: Fixture.snapshot(
                nodes: node8, pending: [Fixture.job("rich", tenant: "t1", gpus: 1, at: 0), Fixture.job("poor", tenant: "t2", gpus: 1, at: 5)],
                active: [Fixture.running(Fixture.job("hog", tenant: "t1", gpus: 7, priority: .p1, preemptible: false), on: [("n1", Array(0..<7))])]),
            started: ["poor"], waiting: ["rich": PendingKind.capacity]
        ),
        Scenario(
            name: "gang stays on one node and inside NVLink islands",
            snapshot: Fixture.snapshot(
                nodes: [Fixture.node("n1", rack: "r1", islandSize: 4), Fixture.node("n2", rack: "r1", islandSize: 4)],
                pending: [Fixture.job("gang", gpus: 4, replicas: 2)]),
            started: ["gang"],
            check: { r in
                let d = r.decision("gang")!
                #expect(Set(d.placements.map(\.node)).count == 1)
                #expect(Set(d.placements.map { $0.deviceIndices.map { $0 / 4 } }.map(Set.init)).allSatisfy { $0.count == 1 })
            }
        ),
        Scenario(
            name: "a running job lowered to P3 becomes a victim",
            snapshot: Fixture.snapshot(
                nodes: node8, pending: [Fixture.job("p2", gpus: 8)],
                active: [Fixture.running(Fixture.job("demoted", tenant: "t2", gpus: 8, priority: .p3), on: [("n1", Array(0..<8))])]),
            started: ["p2"], evicted: ["demoted"]
        ),
        Scenario(
            name: "with a grace period the preemptor waits for its victims",
            snapshot: Fixture.snapshot(
                nodes: node8, pending: [Fixture.job("p0", gpus: 8, priority: .p0)],
                active: [Fixture.running(Fixture.job("v", gpus: 8, priority: .p3), on: [("n1", Array(0..<8))])]),
            configuration: Fixture.config(grace: 30), evicted: ["v"], waiting: ["p0": PendingKind.preempting],
            check: { r in #expect(r.evictions.first?.graceSeconds == 30) }
        ),
        Scenario(
            name: "an evicted job in its grace period is not evicted again",
            snapshot: Fixture.snapshot(
                nodes: node8, pending: [Fixture.job("p0", gpus: 8, priority: .p0)],
                active: [Fixture.running(Fixture.job("v", gpus: 8, priority: .p3), on: [("n1", Array(0..<8))])], terminating: ["v"]),
            configuration: Fixture.config(grace: 30), waiting: ["p0": PendingKind.preempting]
        ),
    ]
}

@Suite struct SchedulingScenarioTests {
    @Test(arguments: Scenarios.all)
    func scenario(_ s: Scenario) {
        let r = SchedulingCycle(configuration: s.configuration).run(s.snapshot)
        #expect(Set(r.decisions.map(\.job.rawValue)) == s.started)
        #expect(r.evicted == s.evicted)
        var resized: [String: [Int]] = [:]
        for z in r.resizes { resized[z.job.rawValue] = [z.fromReplicas, z.toReplicas] }
        #expect(resized == s.resized)
        for (job, kind) in s.waiting { #expect(r.waiting[JobID(job)]?.kind == kind, "\(job): \(r.waiting[JobID(job)]?.message ?? "not waiting")") }
        #expect(r.reservations.first?.job.rawValue == s.reserved)
        s.check?(r)
        for d in r.decisions { #expect(!d.rationale.isEmpty) }
    }
}
