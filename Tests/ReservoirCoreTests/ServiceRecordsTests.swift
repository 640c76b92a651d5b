import Foundation
import ReservoirCore
import Testing

/// Jobs stored before services existed read back unchanged; a replica's service tag, a service and
/// its adjustment round-trip through JSON (the store keeps them as JSON bodies).
@Suite("Service records")
struct ServiceRecordsTests {
    @Test("a job body without `service` decodes (nil); a replica's tag round-trips")
    func jobCompatibility() throws {
        var job = Job(id: "job-000001", name: "old", tenant: "a", submittedBy: "u", request: ResourceRequest(gpus: 1))
        let old = try JSONEncoder().encode(job)
        #expect(!String(decoding: old, as: UTF8.self).contains("service"))
        #expect(try JSONDecoder().decode(Job.self, from: old).service == nil)
        job.service = "ranker"
        let tagged = try JSONDecoder().decode(Job.self, from: try JSONEncoder().encode(job))
        #expect(tagged.service == "ranker" && tagged == job)
    }

    @Test("a service, an adjustment and a capacity request round-trip; tiers encode as 1, 2, 3")
    func roundTrips() throws {
        let service = InferenceService(
            id: "ranker", tenant: "a", pool: "p", model: "bert", request: ResourceRequest(gpus: 1), minReplicas: 1, maxReplicas: 4, desiredReplicas: 2,
            sla: ServiceSLA(p99LatencyMs: 100, peakQPS: 400), traffic: TrafficProfile(baseQPS: 50, spikes: [TrafficSpike(start: 1, end: 2, multiplier: 3)]),
            createdAt: 10, createdBy: "u")
        #expect(service.capacityQPS == 100)  // peak ÷ max replicas
        #expect(try JSONDecoder().decode(InferenceService.self, from: try JSONEncoder().encode(service)) == service)
        let adjustment = ServiceAdjustment(
            id: 3, service: "ranker", tenant: "a", at: 20, before: 2, after: 2, actor: "system:autoscaler", tier: .regionalReserve,
            kind: .reserveNodesAdded, reason: "moved", request: "cr-000001", nodes: ["n1"])
        let json = try JSONEncoder().encode(adjustment)
        #expect(String(decoding: json, as: UTF8.self).contains(#""tier":2"#))
        #expect(try JSONDecoder().decode(ServiceAdjustment.self, from: json) == adjustment)
    }
}
