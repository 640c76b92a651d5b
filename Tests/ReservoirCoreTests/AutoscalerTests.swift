import Foundation
import ReservoirCore
import Testing

/// The autoscaling policy (SPEC §5.8) as a pure function: thresholds, window, cool-down, min/max,
/// hysteresis; and the traffic profile and latency estimate it is shown with.
@Suite("Autoscaler")
struct AutoscalerTests {
    static let t0 = 1_700_000_000.0

    static func service(desired: Int = 2, min: Int = 1, max: Int = 8, policy: AutoscalingPolicy = AutoscalingPolicy()) -> InferenceService {
        InferenceService(
            id: "ranker", tenant: "alpha", pool: "p1", model: "bert", request: ResourceRequest(gpus: 1), minReplicas: min, maxReplicas: max,
            desiredReplicas: desired, sla: ServiceSLA(p99LatencyMs: 200, peakQPS: 800), autoscaling: policy, createdAt: t0, createdBy: "alice")
    }

    /// One point per minute in `[now - minutes·60, now)`, at `util` % and `memory` (0…1).
    static func minutes(_ minutes: Int, util: Double, memory: Double = 0.3, now: Double) -> [UtilizationPoint] {
        (1...minutes).map { i in
            UtilizationPoint(
                at: now - Double(i) * 60, gpuUtilMean: util, gpuUtilMax: util, memoryUsedMiBMean: 0, memoryFractionMean: memory,
                memoryFractionMax: memory, devices: 2, samples: 2)
        }.reversed()
    }

    let now = AutoscalerTests.t0 + 3_600

    @Test("utilization above 80 % for 5 minutes scales out toward the 60 % target, at most maxStep")
    func scalesOut() {
        let decision = Autoscaler().decide(Self.service(desired: 2), points: Self.minutes(5, util: 95, now: now), lastAdjustmentAt: Self.t0, now: now)
        // 2 × 95 / 60 = 3.2 → 4 replicas.
        guard case let .scale(to, .utilizationHigh(percent)) = decision else { Issue.record("\(decision)"); return }
        #expect(to == 4)
        #expect(percent == 95)
        let big = Autoscaler().decide(Self.service(desired: 2), points: Self.minutes(5, util: 300, now: now), lastAdjustmentAt: Self.t0, now: now)
        #expect(big == AutoscaleDecision.scale(to: 6, .utilizationHigh(percent: 300)))  // +4 at most
    }

    @Test("one minute at or below the threshold in the window holds: the high load must be sustained")
    func sustained() {
        var points = Self.minutes(5, util: 95, now: now)
        points[2].gpuUtilMean = 80
        #expect(Autoscaler().decide(Self.service(), points: points, lastAdjustmentAt: Self.t0, now: now) == .hold(.withinBounds(percent: 92)))
    }

    @Test("fewer minutes measured than the window holds (warming up); one missing minute is tolerated")
    func window() {
        #expect(Autoscaler().decide(Self.service(), points: Self.minutes(3, util: 95, now: now), lastAdjustmentAt: Self.t0, now: now)
            == .hold(.warmingUp(measuredMinutes: 3, neededMinutes: 5)))
        guard case .scale = Autoscaler().decide(Self.service(), points: Self.minutes(4, util: 95, now: now), lastAdjustmentAt: Self.t0, now: now) else {
            Issue.record("four of five minutes should do"); return
        }
        #expect(Autoscaler().decide(Self.service(), points: [], lastAdjustmentAt: Self.t0, now: now) == .hold(.noSignal))
    }

    @Test("points from before the last adjustment do not count: they measured another replica count")
    func windowStartsAtAdjustment() {
        let service = Self.service(policy: AutoscalingPolicy(cooldownSeconds: 0))
        let decision = Autoscaler().decide(service, points: Self.minutes(5, util: 95, now: now), lastAdjustmentAt: now - 150, now: now)
        #expect(decision == .hold(.warmingUp(measuredMinutes: 2, neededMinutes: 5)))
    }

    @Test("GPU memory above 90 % scales out at once, without the window")
    func memory() {
        let decision = Autoscaler().decide(Self.service(desired: 2), points: Self.minutes(1, util: 40, memory: 0.95, now: now), lastAdjustmentAt: Self.t0, now: now)
        guard case let .scale(to, .memoryHigh) = decision else { Issue.record("\(decision)"); return }
        #expect(to == 3)
    }

    @Test("below 30 % for 5 minutes scales in, never below the count that would run the load above the target")
    func scalesIn() {
        #expect(Autoscaler().decide(Self.service(desired: 8), points: Self.minutes(5, util: 10, now: now), lastAdjustmentAt: Self.t0, now: now)
            == .scale(to: 4, .utilizationLow(percent: 10)))  // 8 × 10 / 60 = 1.3, but at most 4 fewer
        #expect(Autoscaler().decide(Self.service(desired: 4), points: Self.minutes(5, util: 25, now: now), lastAdjustmentAt: Self.t0, now: now)
            == .scale(to: 2, .utilizationLow(percent: 25)))  // 4 × 25 / 60 = 1.67 → 2
    }

    @Test("at max or min it holds and says why")
    func bounds() {
        #expect(Autoscaler().decide(Self.service(desired: 8), points: Self.minutes(5, util: 95, now: now), lastAdjustmentAt: Self.t0, now: now)
            == .hold(.atMaximum(.utilizationHigh(percent: 95))))
        #expect(Autoscaler().decide(Self.service(desired: 1), points: Self.minutes(5, util: 5, now: now), lastAdjustmentAt: Self.t0, now: now)
            == .hold(.atMinimum(.utilizationLow(percent: 5))))
        #expect(Autoscaler().decide(Self.service(desired: 9), points: [], lastAdjustmentAt: now, now: now) == .scale(to: 8, .aboveMaximum))
    }

    @Test("while replicas wait for capacity it does not add more (tiers 2 and 3 are asked instead), but still scales in")
    func waitingForCapacity() {
        #expect(Autoscaler().decide(Self.service(desired: 4), points: Self.minutes(5, util: 95, now: now), lastAdjustmentAt: Self.t0, now: now, waitingReplicas: 2)
            == .hold(.waitingForCapacity(replicas: 2, .utilizationHigh(percent: 95))))
        #expect(Autoscaler().decide(Self.service(desired: 4), points: Self.minutes(5, util: 10, now: now), lastAdjustmentAt: Self.t0, now: now, waitingReplicas: 2)
            == .scale(to: 1, .utilizationLow(percent: 10)))
    }

    @Test("within the cool-down it holds, whatever the load")
    func cooldown() {
        #expect(Autoscaler().decide(Self.service(), points: Self.minutes(5, util: 99, now: now), lastAdjustmentAt: now - 100, now: now)
            == .hold(.coolingDown(until: now + 200)))
    }

    @Test("property: never outside min…max, never within the cool-down, no scale-in the next window would undo", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func properties(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<500 {
            let min = 1 + rng.below(4)
            let max = min + rng.below(12)
            let desired = min + rng.below(max - min + 1)
            let cooldown = Double(rng.below(900))
            let policy = AutoscalingPolicy(cooldownSeconds: cooldown, maxStep: 1 + rng.below(6))
            let service = Self.service(desired: desired, min: min, max: max, policy: policy)
            let last = now - Double(rng.below(1_800))
            var points = Self.minutes(10, util: rng.nextUnit() * 120, memory: rng.nextUnit(), now: now)
            for i in points.indices { points[i].gpuUtilMean = Swift.max(0, points[i].gpuUtilMean + (rng.nextUnit() - 0.5) * 20) }
            let decision = Autoscaler().decide(service, points: points, lastAdjustmentAt: last, now: now)
            guard case let .scale(to, reason) = decision else { continue }
            #expect((min...max).contains(to), "\(decision) for \(min)…\(max)")
            #expect(to != desired)
            #expect(now - last >= cooldown, "scaled within the cool-down: \(decision)")
            if case let .utilizationLow(util) = reason {
                // Hysteresis: the same load on fewer replicas stays at or below the target, far from scale-out.
                #expect(util * Double(desired) / Double(to) <= policy.targetUtilPercent + 1e-9, "\(decision) from \(desired)")
            }
        }
    }

    @Test("traffic: a daily cosine peaking at peakHour UTC, times the spikes in force; the same instant gives the same rate")
    func traffic() {
        let day = 1_700_006_400.0  // 2023-11-15 00:00 UTC
        let spike = TrafficSpike(start: day + 10 * 3_600, end: day + 12 * 3_600, multiplier: 3)
        let profile = TrafficProfile(baseQPS: 100, diurnalAmplitude: 0.5, peakHour: 20, spikes: [spike])
        #expect(abs(profile.qps(at: day + 20 * 3_600) - 150) < 1e-6)
        #expect(abs(profile.qps(at: day + 8 * 3_600) - 50) < 1e-6)
        #expect(abs(profile.qps(at: day + 11 * 3_600) - 3 * profile.qps(at: day + 11 * 3_600 - 86_400)) < 1e-6)
        #expect(profile.qps(at: day + 12 * 3_600) == TrafficProfile(baseQPS: 100, diurnalAmplitude: 0.5, peakHour: 20).qps(at: day + 12 * 3_600))
        let plain = TrafficProfile(baseQPS: 100, diurnalAmplitude: 0.7, peakHour: 13.5)
        for at in stride(from: day - 86_400, through: day + 86_400, by: 1_234.5) {
            let hour = at.truncatingRemainder(dividingBy: 86_400) / 3_600
            #expect(abs(plain.qps(at: at) - 100 * (1 + 0.7 * cos(2 * Double.pi * (hour - 13.5) / 24))) < 1e-9)
        }
    }

    @Test("p99 latency estimate: ln(100) / (μ(1 − ρ)), capped below saturation")
    func latency() {
        #expect(abs(ServiceLoad.p99LatencyMs(utilization: 0.5, capacityQPS: 100) - 92.103) < 0.01)
        #expect(ServiceLoad.p99LatencyMs(utilization: 2, capacityQPS: 100) == ServiceLoad.p99LatencyMs(utilization: 0.99, capacityQPS: 100))
        #expect(ServiceLoad.p99LatencyMs(utilization: 0.9, capacityQPS: 100) > ServiceLoad.p99LatencyMs(utilization: 0.5, capacityQPS: 100))
        #expect(ServiceLoad.perReplicaQPS(300, replicas: 3) == 100)
        #expect(ServiceLoad.perReplicaQPS(300, replicas: 0) == 0)
    }

    @Test("validation names the field: min > max, an SLA without a target, thresholds out of range or order")
    func validation() {
        func field(_ change: (inout InferenceService) -> Void) -> String? {
            var s = Self.service()
            change(&s)
            do { try s.validate() } catch { return error.field }
            return nil
        }
        #expect(field { _ in } == nil)
        #expect(field { $0.minReplicas = 5; $0.maxReplicas = 3 } == "replicas.max")
        #expect(field { $0.sla.p99LatencyMs = 0 } == "sla.p99LatencyMs")
        #expect(field { $0.autoscaling.scaleOutUtilPercent = 150 } == "autoscaling.scaleOutUtilPercent")
        #expect(field { $0.autoscaling.scaleInUtilPercent = 70 } == "autoscaling.scaleInUtilPercent")
        #expect(field { $0.autoscaling.windowSeconds = 10 } == "autoscaling.windowSeconds")
        #expect(field { $0.autoscaling.cooldownSeconds = .nan } == "autoscaling.cooldownSeconds")
        #expect(field { $0.desiredReplicas = 20 } == "replicas.initial")
        #expect(field { $0.traffic = TrafficProfile(baseQPS: 1, spikes: [TrafficSpike(start: 10, end: 5, multiplier: 2)]) } == "traffic.spikes[0].end")
    }
}
