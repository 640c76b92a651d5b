import Foundation
import ReservoirCore
import ReservoirForecasting
import ReservoirServices
import Testing

@Suite("Planning from live state")
struct PlanningServiceTests {
    /// 8 A100-80GB in r1; alpha runs a preemptible P3 job on 4 of them, beta a P1 job on 2.
    func busyWorld() async throws -> World {
        let world = try World()
        func submission(_ priority: PriorityClass, gpus: Int) throws -> JobSubmission {
            let json = """
                {"name": "j", "pool": "p1", "priority": "\(priority.rawValue)", "preemptible": \(priority == .p3), "runtimeSeconds": 7200,
                 "request": {"gpus": \(gpus), "cpuMilli": 1000, "memoryMiB": 1024}}
                """
            return try JSONDecoder().decode(JobSubmission.self, from: Data(json.utf8))
        }
        _ = try world.reservoir.jobs.submit(try submission(.p3, gpus: 4), by: world.member)
        _ = try world.reservoir.jobs.submit(try submission(.p1, gpus: 2), by: world.other)
        try await world.reservoir.scheduling.runSchedulingCycle()
        return world
    }

    @Test func aLargeRequestUsesFreeCapacityThenPreemptsLowerClassesThenRents() async throws {
        let world = try await busyWorld()
        let plan = try world.reservoir.planning.whatIfRequest(
            CapacityRequest(region: "r1", model: "A100-80GB", gpus: 10, priorityRank: PriorityClass.p3.rank - PriorityClass.p1.rank, durationHours: 24),
            by: World.operatorPrincipal)
        let byKind = Dictionary(grouping: plan.steps, by: \.kind).mapValues { $0.reduce(0) { $0 + $1.gpus } }
        // 2 free; the P3 job's 4 preemptible GPUs (never the P1 job's 2); the remaining 4 from outside.
        #expect(byKind[.freeCapacity] == 2)
        #expect(byKind[.preemption] == 4)
        #expect(plan.steps.reduce(0) { $0 + $1.gpus } == 10)
        #expect(plan.shortfall == 0)
        #expect(plan.steps.first { $0.kind == .preemption }.map { $0.preemptedGPUHours > 0 } == true)
    }

    @Test func plansAreForOperatorsAndFinance() async throws {
        let world = try await busyWorld()
        #expect(throws: ReservoirError.self) { try world.reservoir.planning.capacityPlan(policy: nil, by: world.member) }
        // Minutes of history cannot be forecast: a conflict that says how much history is needed.
        do {
            _ = try world.reservoir.planning.capacityPlan(policy: nil, by: World.operatorPrincipal)
            Issue.record("a plan without history should be refused")
        } catch let error as ReservoirError {
            #expect(error.code == .conflict)
            #expect(error.message.contains("A100-80GB") && error.message.contains("of the 168 hours needed"), "\(error.message)")
        }
    }
}
