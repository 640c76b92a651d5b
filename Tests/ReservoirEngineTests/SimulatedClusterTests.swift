import ReservoirCore
import ReservoirEngine
import Testing

func spec(_ id: String, runtime: Double) -> EngineJobSpec {
    EngineJobSpec(job: JobID(id), name: id, tenant: "t", pool: "p", priority: .p2, preemptible: true,
                  request: ResourceRequest(gpus: 1), replicas: 1, placements: [], runtimeSeconds: runtime)
}

@Suite("Simulated cluster on a virtual clock")
struct SimulatedClusterTests {
    @Test func jobsRunForTheirDeclaredRuntime() {
        var cluster = SimulatedCluster(now: 0)
        let (_, started) = cluster.submit(spec("a", runtime: 100))
        #expect(started.map(\.kind) == [.started])
        #expect(cluster.advance(to: 99).isEmpty)
        let done = cluster.advance(to: 150)
        #expect(done == [EngineEvent(job: "a", kind: .succeeded, at: 100, exitCode: 0)])
        #expect(cluster.report("a").phase == .succeeded)
    }

    @Test func submitIsIdempotent() {
        var cluster = SimulatedCluster(now: 0)
        let first = cluster.submit(spec("a", runtime: 10))
        let second = cluster.submit(spec("a", runtime: 10))
        #expect(first.engineID == second.engineID && second.events.isEmpty)
    }

    @Test func preemptionWaitsForTheGracePeriod() {
        var cluster = SimulatedCluster(now: 0)
        _ = cluster.submit(spec("a", runtime: 1000))
        #expect(cluster.preempt("a", graceSeconds: 30).isEmpty)
        #expect(cluster.advance(to: 29).isEmpty)
        #expect(cluster.advance(to: 31).map(\.kind) == [.preempted])
    }

    @Test func cancelAndUnknownJobs() {
        var cluster = SimulatedCluster(now: 0)
        _ = cluster.submit(spec("a", runtime: 10))
        #expect(cluster.cancel("a").map(\.kind) == [.cancelled])
        #expect(cluster.cancel("a").isEmpty)
        #expect(cluster.report("zzz").phase == .unknown)
    }

    @Test func failureInjectionIsSeededAndRoughlyAtRate() {
        var cluster = SimulatedCluster(now: 0, failureRate: 0.3, seed: 7)
        for i in 0..<1000 { _ = cluster.submit(spec("j\(i)", runtime: 10)) }
        let events = cluster.advance(to: 20)
        let failed = events.filter { $0.kind == .failed }.count
        #expect(events.count == 1000)
        #expect((200...400).contains(failed))
        var again = SimulatedCluster(now: 0, failureRate: 0.3, seed: 7)
        for i in 0..<1000 { _ = again.submit(spec("j\(i)", runtime: 10)) }
        #expect(again.advance(to: 20).filter { $0.kind == .failed }.count == failed)
    }
}
