import ReservoirCore
import ReservoirScheduling
import Testing

/// Invariants over random seeded workloads, each checked after every cycle of a short simulation.
@Suite struct SchedulingProperties {
    static let seeds: [UInt64] = Array(1...12)

    @Test("no device is double-booked and every gang starts whole", arguments: seeds)
    func noDoubleBookingAndWholeGangs(seed: UInt64) {
        var w = RandomWorkload(seed: seed)
        let cycle = SchedulingCycle(configuration: Fixture.config())
        for step in 0..<15 {
            let now = Double(step * 100)
            for _ in 0..<4 { let j = w.randomJob(at: now); w.pending[j.id] = j }
            let r = cycle.run(w.snapshot(now: now))
            for d in r.decisions {
                let job = w.pending[d.job]!
                #expect(d.placements.count >= job.minMembers && d.placements.count <= job.replicas)
            }
            for z in r.resizes { #expect(z.toReplicas >= w.active[z.job]!.minMembers) }
            w.apply(r, now: now)
            #expect(w.overbooked().isEmpty, "seed \(seed) step \(step): \(w.overbooked())")
            w.finish(now: now + 100)
        }
    }

    @Test("a tenant within its guarantee is never preempted; equal class only by reclaim", arguments: seeds)
    func guaranteesAndClasses(seed: UInt64) {
        var w = RandomWorkload(seed: seed, guarantees: true)
        let cycle = SchedulingCycle(configuration: Fixture.config())
        for step in 0..<15 {
            let now = Double(step * 100)
            for _ in 0..<4 { let j = w.randomJob(at: now); w.pending[j.id] = j }
            let r = cycle.run(w.snapshot(now: now))
            // Usage as the cycle sees it: running work plus what the cycle started (an upper bound at eviction time).
            var used: [TenantID: Int] = [:]
            for j in w.active.values { used[j.tenant, default: 0] += j.placements.count * j.request.totalGPUMilli }
            for d in r.decisions { used[w.pending[d.job]!.tenant, default: 0] += d.placements.reduce(0) { $0 + $1.gpuMilli * $1.deviceIndices.count } }
            for e in r.evictions {
                let victim = w.active[e.job]!
                let preemptor = w.pending[e.preemptor]!
                let guarantee = w.quotas.first { $0.tenant == victim.tenant }!.guaranteedMilli
                #expect(used[victim.tenant, default: 0] > guarantee, "victim \(victim.id)'s tenant was within its guarantee")
                #expect(victim.preemptible)
                #expect(victim.priority >= preemptor.priority)
                if victim.priority == preemptor.priority { #expect(e.reason == "reclaim" && victim.tenant != preemptor.tenant) }
                used[victim.tenant, default: 0] -= victim.placements.count * victim.request.totalGPUMilli
            }
            w.apply(r, now: now)
            w.finish(now: now + 100)
        }
    }

    @Test("with reclaim inside a class off, equal-class work is never preempted", arguments: seeds)
    func equalClassNeverPreempted(seed: UInt64) {
        var w = RandomWorkload(seed: seed, guarantees: true)
        let cycle = SchedulingCycle(configuration: Fixture.config(reclaimWithinClass: false))
        for step in 0..<15 {
            let now = Double(step * 100)
            for _ in 0..<4 { let j = w.randomJob(at: now); w.pending[j.id] = j }
            let r = cycle.run(w.snapshot(now: now))
            for e in r.evictions { #expect(w.active[e.job]!.priority > w.pending[e.preemptor]!.priority) }
            w.apply(r, now: now)
            w.finish(now: now + 100)
        }
    }

    @Test("a P0 job starts within one cycle when lower preemptible work could make room", arguments: seeds)
    func p0StartsWithinOneCycle(seed: UInt64) {
        var w = RandomWorkload(seed: seed)
        // Fill the cluster with preemptible P1–P3 work.
        var filler = 0
        let fill = SchedulingCycle(configuration: Fixture.config(backfill: false))
        for _ in 0..<6 {
            for _ in w.nodes {
                filler += 1
                let j = Fixture.job("f\(filler)", tenant: ["t1", "t2", "t3"][filler % 3], gpus: [1, 2][filler % 2],
                                    priority: [.p1, .p2, .p3][filler % 3], at: 0)
                w.pending[j.id] = j
            }
            w.apply(fill.run(w.snapshot(now: 0)), now: 0)
        }
        w.pending = [:]
        let biggest = w.nodes.map(\.gpuCount).max()!
        let gpus = [1, 2, 4, 8].filter { $0 <= biggest }[Int(seed % 3)]
        let p0 = Fixture.job("emergency", tenant: "t2", gpus: gpus, priority: .p0, at: 10)
        w.pending[p0.id] = p0
        let r = SchedulingCycle(configuration: Fixture.config()).run(w.snapshot(now: 10))
        #expect(r.decision("emergency") != nil, "\(r.waiting[p0.id]?.message ?? "")")
    }

    @Test("backfill never delays the reserved job", arguments: seeds)
    func backfillNeverDelaysReservation(seed: UInt64) {
        #expect(Self.checkReservations(seed: seed) >= 0)
    }

    @Test("the backfill property is not vacuous: reservations happen")
    func reservationsHappen() {
        #expect(Self.seeds.map { Self.checkReservations(seed: $0) }.reduce(0, +) >= 6)
    }

    /// Plays a seeded workload; after every cycle with a reservation, checks the reserved job fits at
    /// its start. Returns how many reservations were checked.
    static func checkReservations(seed: UInt64) -> Int {
        var checked = 0
        var w = RandomWorkload(seed: seed, nodeCount: 3)
        let config = Fixture.config(aging: 0)
        for step in 0..<8 {
            let now = Double(step * 50)
            for _ in 0..<5 { let j = w.randomJob(at: now); w.pending[j.id] = j }
            let r = SchedulingCycle(configuration: config).run(w.snapshot(now: now))
            w.apply(r, now: now)
            guard let reservation = r.reservations.first else { continue }
            checked += 1
            // Play forward: every running job ends at its declared runtime; at the reservation start
            // the reserved job must fit with preemption and backfill off.
            let t = reservation.earliestStart
            var later = w
            later.finish(now: t)
            let reserved = w.pending[reservation.job]!
            var strict = Fixture.config(backfill: false)
            strict.preemption.enabled = false
            var snap = later.snapshot(now: t)
            snap.pending = [reserved]
            let at = SchedulingCycle(configuration: strict).run(snap)
            #expect(at.decision(reservation.job.rawValue) != nil, "seed \(seed): \(at.waiting[reserved.id]?.message ?? "")")
        }
        return checked
    }

    @Test("aging lets a P3 job through a steady stream of P1 work")
    func agingPreventsStarvation() {
        func firstStart(aging: Double) -> Double? {
            let nodes = [Fixture.node("n1", gpus: 2)]
            var jobs = [Fixture.job("patient", tenant: "t2", gpus: 1, priority: .p3, preemptible: false, at: 60)]
            for k in 0..<400 { jobs.append(Fixture.job("s\(k)", gpus: 1, priority: .p1, preemptible: false, at: Double(k * 50))) }
            var runtimes: [JobID: Double] = [:]
            for j in jobs { runtimes[j.id] = 100 }
            let workload = ReplayWorkload(
                pool: Pool(id: Fixture.pool, cluster: "c"), nodes: nodes, tenants: [Tenant(id: "t1"), Tenant(id: "t2")],
                quotas: ["t1", "t2"].map { Quota(tenant: TenantID($0), pool: Fixture.pool, guaranteedMilli: 0, limitMilli: 2_000) },
                jobs: jobs.sorted { $0.submittedAt < $1.submittedAt }, runtimes: runtimes
            )
            var config = Fixture.config(aging: aging)
            config.queuePolicy = .priority
            let report = TraceReplay(scheduler: config).run(workload)
            return report.waitSeconds["P3"]?.p50
        }
        let aged = firstStart(aging: 1)
        let unaged = firstStart(aging: 0)
        #expect(aged != nil && aged! < 3 * 3_600, "with aging the P3 job waited \(aged ?? -1) s")
        #expect((unaged ?? .infinity) > aged!, "without aging it should wait for the stream to end")
    }
}
