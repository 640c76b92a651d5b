import Foundation
import ReservoirCore
import ServiceLifecycle

/// A gentle stream of sample jobs so the demo cluster is alive when a newcomer looks: every few
/// seconds a demo tenant's demo member submits a plausible job, while fewer than `maxWaiting` jobs wait.
public struct DemoWorkload: Service {
    let reservoir: Reservoir
    let interval: Double
    let maxWaiting: Int

    public init(reservoir: Reservoir, interval: Double = 4, maxWaiting: Int = 12) {
        self.reservoir = reservoir
        self.interval = interval
        self.maxWaiting = maxWaiting
    }

    /// Sample jobs: (name, pool, kind, priority, replicas, gpus, milli, minutes).
    static let samples: [(String, String, WorkloadKind, PriorityClass, Int, Int, Int, Double)] = [
        ("llama-finetune", "bj-training", .training, .p2, 1, 8, 1000, 30),
        ("bert-pretrain", "bj-training", .training, .p1, 2, 8, 1000, 60),
        ("resnet-sweep", "bj-testing", .test, .p3, 1, 1, 500, 10),
        ("ranker-serving", "bj-inference", .inference, .p1, 2, 1, 1000, 120),
        ("embedding-batch", "sh-mixed", .batch, .p2, 1, 2, 1000, 20),
        ("notebook", "bj-testing", .test, .p3, 1, 1, 250, 15),
        ("moe-pretrain", "sh-training", .training, .p1, 2, 8, 1000, 90),
    ]

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var rng = SystemRandomNumberGenerator()
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
                do { try submitOne(using: &rng) } catch {
                    reservoir.logger.debug("demo submission skipped", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    func submitOne<G: RandomNumberGenerator>(using rng: inout G) throws {
        guard try reservoir.store.jobs(tenant: nil, states: [.queued, .preempted], limit: maxWaiting).count < maxWaiting else { return }
        let sample = Self.samples.randomElement(using: &rng)!
        // Only the tenants and users the demo seeded: never spend an operator-created tenant's quota.
        let demo = try reservoir.store.demoSeed()
        let active = Set(try reservoir.store.tenants().filter { demo.tenants.contains($0.id) && !$0.isDisabled }.map(\.id))
        let quotas = try reservoir.store.quotas(tenant: nil).filter { $0.pool.rawValue == sample.1 && active.contains($0.tenant) }
        guard let tenant = quotas.randomElement(using: &rng)?.tenant,
              let member = try reservoir.store.users(tenant: tenant).first(where: { demo.users.contains($0.id) && $0.roles.contains(.member) && !$0.isDisabled })
        else { return }
        let submission = JobSubmission(
            name: sample.0, tenant: nil, pool: sample.1, kind: sample.2, priority: sample.3, preemptible: sample.3 != .p1,
            replicas: sample.4, minMembers: nil, runtimeSeconds: sample.7 * 60 * Double.random(in: 0.5...1.5, using: &rng),
            request: .init(gpus: sample.5, gpuMilli: sample.6, cpuMilli: sample.5 * 8000, memoryMiB: sample.5 * 32_768,
                           models: nil, migProfile: nil, nodeSelector: nil, tolerations: nil))
        _ = try reservoir.jobs.submit(submission, by: Principal(user: member))
    }
}
