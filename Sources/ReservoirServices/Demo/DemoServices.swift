import ReservoirCore

/// The demo's inference services: a search re-ranker with a working day of traffic and a promotion ten
/// minutes after the seed (three times the traffic for half an hour, and again the next evening in
/// Beijing), and an image tagger on a daily curve. Their replicas' utilization comes from this traffic
/// (the simulator's inference profile), so the autoscaler scales them out in the spike and back in after.
extension DemoContext {
    /// The services, with promotion spikes placed relative to `now` (the seed's time).
    static func services(at now: Double) -> [ServiceSpec] {
        let soon = (now / 60).rounded(.down) * 60 + 600
        let tomorrowEvening = (now / 86_400).rounded(.down) * 86_400 + 86_400 + 12 * 3_600  // 20:00 in UTC+8
        let gpu = JobSubmission.Request(gpus: 1, gpuMilli: 1_000, cpuMilli: 8_000, memoryMiB: 32_768)
        return [
            ServiceSpec(
                name: "search-ranker", tenant: "search", pool: "bj-inference", model: "bge-reranker-large", priority: .p1, request: gpu,
                replicas: .init(min: 2, max: 10, initial: 2), sla: .init(p99LatencyMs: 150, peakQPS: 1_500), capacityQPS: 150,
                autoscaling: nil,
                traffic: .init(baseQPS: 400, diurnalAmplitude: 0.6, peakHour: 7, spikes: [
                    TrafficSpike(start: soon, end: soon + 1_800, multiplier: 3),
                    TrafficSpike(start: tomorrowEvening, end: tomorrowEvening + 7_200, multiplier: 2.5),
                ])),
            ServiceSpec(
                name: "image-tagger", tenant: "vision", pool: "bj-inference", model: "clip-vit-l14", priority: .p1, request: gpu,
                replicas: .init(min: 1, max: 6, initial: 1), sla: .init(p99LatencyMs: 300, peakQPS: 360), capacityQPS: 60,
                autoscaling: nil, traffic: .init(baseQPS: 90, diurnalAmplitude: 0.5, peakHour: 6, spikes: nil)),
        ]
    }

    /// Deploys the demo's services, each as its tenant's demo member, on a freshly seeded demo (`serve
    /// --demo` calls it once, right after `seed` minted its logins). A service whose tenant has no demo
    /// member (an operator disabled it) is left out. Returns the services deployed.
    public func deployServices() async throws -> [ServiceID] {
        let demo = try store.demoSeed()
        var deployed: [ServiceID] = []
        for spec in Self.services(at: clock()) {
            guard let tenant = spec.tenant.map({ TenantID($0) }), let member = try member(of: tenant, in: demo) else { continue }
            deployed.append(try await services.deploy(spec, by: Principal(user: member)).service.id)
        }
        return deployed
    }
}
