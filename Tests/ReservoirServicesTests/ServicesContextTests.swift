import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// Utilization the test sets per service, standing in for the telemetry store.
final class FakeTelemetry: TelemetryReader, @unchecked Sendable {
    private let lock = NSLock()
    private var util: [ServiceID: (gpu: Double, memory: Double)] = [:]

    /// From now on every minute of every query of `service` reads `gpu` % and `memory` (0…1).
    func set(_ service: ServiceID, gpu: Double, memory: Double = 0.3) { lock.withLock { util[service] = (gpu, memory) } }

    func utilization(_ query: UtilizationQuery) throws -> [UtilizationPoint] {
        guard case let .service(id) = query.scope, let u = lock.withLock({ util[id] }) else { return [] }
        let first = (query.since / 60).rounded(.up) * 60
        return stride(from: first, to: query.until, by: 60).map {
            UtilizationPoint(at: $0, gpuUtilMean: u.gpu, gpuUtilMax: u.gpu, memoryUsedMiBMean: 0, memoryFractionMean: u.memory, memoryFractionMax: u.memory, devices: 1, samples: 1)
        }
    }
}

/// A reservoir with an inference pool `serve` (one node of 4 A100s) and region r1's reserve pool
/// (one idle node of 4 A100s), tenants alpha and beta with 16 GPUs guaranteed in `serve`.
struct ServicesWorld {
    static let inventory = """
        regions:
          - id: r1
            clusters:
              - id: c1
                pools:
                  - id: serve
                    purpose: inference
                    sharing: exclusive
                    nodes:
                      - {name: s, count: 1, model: A100-80GB, gpus: 4, cpu: 32, memoryGiB: 256}
                  - id: reserve
                    purpose: inference
                    sharing: exclusive
                    labels: {reservoir.io/reserve: "true"}
                    nodes:
                      - {name: r, count: 1, model: A100-80GB, gpus: 4, cpu: 32, memoryGiB: 256}
        """
    static let op = Principal(user: User(id: "admin", roles: [.operator_]))

    let store: SQLiteStore
    let clock = ManualClock()
    let engine: SimulatedEngine
    let telemetry = FakeTelemetry()
    let reservoir: Reservoir
    let member = Principal(user: User(id: "alice", tenant: "alpha", roles: [.member]))
    let other = Principal(user: User(id: "bob", tenant: "beta", roles: [.member]))

    init(reserve: ReserveMode = .approval) throws {
        store = try SQLiteStore(path: nil)
        engine = SimulatedEngine(nodes: [], speed: 1, clock: clock.function)
        var configuration = Reservoir.Configuration()
        configuration.services.reserve = reserve
        configuration.services.reserveAfterSeconds = 60
        reservoir = Reservoir(store: store, engine: engine, configuration: configuration, logger: World.logger, clock: clock.function, utilization: telemetry)
        _ = try reservoir.inventory.importDescription(yaml: Self.inventory, by: Self.op)
        for (tenant, user) in [("alpha", member.user), ("beta", other.user)] {
            _ = try reservoir.tenancy.createTenant(Tenant(id: TenantID(tenant)), by: Self.op)
            _ = try reservoir.tenancy.createUser(user, by: Self.op)
            _ = try reservoir.tenancy.setQuota(Quota(tenant: TenantID(tenant), pool: "serve", guaranteedMilli: 16_000, limitMilli: 16_000), by: Self.op)
        }
    }

    static func spec(_ json: String) throws -> ServiceSpec { try JSONDecoder().decode(ServiceSpec.self, from: Data(json.utf8)) }

    static let ranker = """
        {"name": "ranker", "pool": "serve", "model": "bert-large", "request": {"gpus": 1, "models": "A100-80GB"},
         "replicas": {"min": 1, "max": 10, "initial": 2}, "sla": {"p99LatencyMs": 200, "peakQPS": 800}, "capacityQPS": 100,
         "traffic": {"baseQPS": 150}}
        """

    func deploy(_ json: String = Self.ranker) async throws -> ServiceView {
        try await reservoir.services.deploy(try Self.spec(json), by: member)
    }

    func replicas(_ states: Set<JobState>? = nil) throws -> [Job] { try store.replicas(of: "ranker", states: states) }
    func active() throws -> [Job] { try replicas(Set(JobState.allCases.filter { !$0.isFinal })) }
    func history() throws -> [ServiceAdjustment] { try reservoir.services.history("ranker", page: PageRequest(limit: 1000), by: member).items }

    /// A scheduling cycle, then the engine's events until the admitted replicas run.
    func schedule(_ pump: ServicesPump) async throws {
        try await reservoir.scheduling.runSchedulingCycle()
        try await settle()
    }

    /// Polls the engine until no replica is on its way in (admitted) or out (a cancel not yet confirmed); bounded.
    func settle() async throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            await engine.poll()
            let moving = try active().filter { $0.state == .admitted || $0.pendingEngineCall == .cancel }
            if moving.isEmpty { return }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
    }
}

@Suite("Services context: deploy, autoscale, tiers, manual scaling, history")
struct ServicesContextTests {
    @Test("deploy submits the initial replicas as inference jobs tagged with the service, running until scaled in")
    func deploy() async throws {
        let w = try ServicesWorld()
        let view = try await w.deploy()
        #expect(view.replicas.desired == 2 && view.replicas.pending == 2)
        let replicas = try w.replicas()
        #expect(replicas.count == 2)
        #expect(replicas.allSatisfy { $0.kind == .inference && $0.service == "ranker" && $0.pool == "serve" && $0.priority == .p1 && !$0.preemptible })
        #expect(replicas.allSatisfy { $0.runtimeSeconds == Bounds.runtimeSeconds.upperBound && $0.request.models == ["A100-80GB"] })
        #expect(try w.history().map(\.kind) == [.deployed])
        #expect(try w.history().first?.actor == "user:alice")
        await #expect(throws: ReservoirError.self) { try await w.deploy() }  // the name is taken
        // Other tenants do not see it.
        #expect(throws: ReservoirError.self) { try w.reservoir.services.show("ranker", by: w.other) }
        #expect(try w.reservoir.services.list(tenant: nil, page: PageRequest(), by: w.other).items.isEmpty)
        #expect(try StoreInvariants.violations(w.store).isEmpty)
    }

    @Test("bad services are refused naming the field, with nothing stored")
    func badInput() async throws {
        let w = try ServicesWorld()
        func field(_ json: String) async -> String? {
            do { _ = try await w.deploy(json) } catch let error as ReservoirError { return error.field } catch { return "\(error)" }
            return nil
        }
        let base = ServicesWorld.ranker
        #expect(await field(base.replacingOccurrences(of: #""min": 1, "max": 10"#, with: #""min": 5, "max": 3"#)) == "replicas.max")
        #expect(await field(base.replacingOccurrences(of: #""p99LatencyMs": 200, "#, with: "")) == "sla.p99LatencyMs")
        #expect(await field(base.replacingOccurrences(of: #""capacityQPS": 100"#, with: #""capacityQPS": 100, "autoscaling": {"scaleOutUtilPercent": 120}"#))
            == "autoscaling.scaleOutUtilPercent")
        #expect(await field(base.replacingOccurrences(of: #""pool": "serve""#, with: #""pool": "nope""#)) == "pool")
        #expect(await field(base.replacingOccurrences(of: #""gpus": 1"#, with: #""gpus": 16"#)) == "request")  // no node holds it
        #expect(await field(base.replacingOccurrences(of: #""pool": "serve""#, with: #""pool": "reserve""#)) == "request")  // no quota there
        #expect(try w.store.services(tenant: nil).isEmpty)
        #expect(try w.store.jobs(tenant: nil, states: nil, limit: 10).isEmpty)
    }

    @Test("under sustained load the autoscaler scales out (tier 1), respects the cool-down, asks the reserve when the pool is full (tier 2, approval), then another region (tier 3); scales in when the load drops")
    func tiers() async throws {
        let w = try ServicesWorld()
        let pump = ServicesPump(w)
        _ = try await w.deploy()
        try await w.schedule(pump)
        #expect(try w.replicas([.running]).count == 2)

        // Hot for five minutes, but the deploy's cool-down holds first.
        w.telemetry.set("ranker", gpu: 95)
        w.clock.advance(100)
        let held = await w.reservoir.services.autoscale()
        #expect(held.first?.decision == .hold(.coolingDown(until: w.clock.now + 200)))
        w.clock.advance(300)
        let out = await w.reservoir.services.autoscale()
        #expect(out.first?.decision == .scale(to: 4, .utilizationHigh(percent: 95)))
        #expect(try w.active().count == 4)
        try await w.schedule(pump)
        #expect(try w.replicas([.running]).count == 4)

        // Still hot: 4 → 7 (4 × 95 / 60 = 6.3), but the pool holds 4: three replicas wait for capacity.
        w.clock.advance(301)
        _ = await w.reservoir.services.autoscale()
        try await w.schedule(pump)
        #expect(try w.replicas([.queued]).count == 3)
        #expect(try w.replicas([.queued]).allSatisfy { $0.reason?.kind == "capacity" })

        // After reserveAfterSeconds the reserve is asked once (approval mode: a pending request).
        w.clock.advance(61)
        _ = await w.reservoir.services.autoscale()
        _ = await w.reservoir.services.autoscale()
        let pending = try w.reservoir.services.capacityRequests(state: .pending, page: PageRequest(), by: ServicesWorld.op).items
        #expect(pending.count == 1)
        let request = try #require(pending.first)
        #expect(request.tier == .regionalReserve && request.gpus == 3 && request.region == "r1")
        #expect(try w.history().last?.kind == .reserveRequested)
        #expect(try w.history().last?.tier == .regionalReserve)
        // Members see their tenant's requests but may not approve; operators approve, and the node moves.
        #expect(try w.reservoir.services.capacityRequests(state: nil, page: PageRequest(), by: w.member).items.count == 1)
        #expect(try w.reservoir.services.capacityRequests(state: nil, page: PageRequest(), by: w.other).items.isEmpty)
        #expect(throws: ReservoirError.self) { try w.reservoir.services.approve(request.id, by: w.member) }
        let approved = try w.reservoir.services.approve(request.id, by: ServicesWorld.op)
        #expect(approved.state == .fulfilled && approved.nodes == ["r"])
        #expect(try w.store.inventory().nodes.first { $0.id == "r" }?.pool == "serve")
        #expect(try w.history().last?.kind == .reserveNodesAdded && w.history().last?.actor == "user:admin")
        try await w.schedule(pump)
        #expect(try w.replicas([.running]).count == 7)

        // Still hot at 7 → 10 (max; 7 × 95 / 60 = 11); two wait, and the region's reserve is empty: tier 3.
        w.clock.advance(301)
        _ = await w.reservoir.services.autoscale()
        try await w.schedule(pump)
        w.clock.advance(61)
        _ = await w.reservoir.services.autoscale()
        let transfer = try #require(try w.reservoir.services.capacityRequests(state: .pending, page: PageRequest(), by: ServicesWorld.op).items.first)
        #expect(transfer.tier == .crossRegion)
        #expect(try w.history().last?.kind == .crossRegionRequested)
        #expect(throws: ReservoirError.self) { try w.reservoir.services.approve(transfer.id, by: ServicesWorld.op) }
        #expect(try w.reservoir.services.close(transfer.id, note: "transfer from r2 arranged", by: ServicesWorld.op).state == .closed)

        // The spike ends: cold for five minutes after the cool-down → scale in toward the target.
        w.telemetry.set("ranker", gpu: 10)
        w.clock.advance(301)
        let cold = await w.reservoir.services.autoscale()
        #expect(cold.first?.decision == .scale(to: 6, .utilizationLow(percent: 10)))  // at most 4 fewer
        try await w.settle()
        #expect(try w.active().count == 6)
        #expect(try w.replicas([.queued]).isEmpty)  // the waiting ones went first
        #expect(try w.history().map(\.kind) == [
            .deployed, .scaledOut, .scaledOut, .reserveRequested, .reserveNodesAdded, .scaledOut, .crossRegionRequested, .scaledIn,
        ])
        #expect(try w.history().map(\.after) == [2, 4, 7, 7, 7, 10, 10, 6])
        #expect(try w.history().filter { $0.kind == .scaledOut }.allSatisfy { $0.actor == "system:autoscaler" && $0.reason.contains("above 80 %") })
        #expect(try StoreInvariants.violations(w.store).isEmpty)
        _ = pump
    }

    @Test("automatic reserve: the node moves at once, one tier-2 adjustment")
    func automaticReserve() async throws {
        let w = try ServicesWorld(reserve: .automatic)
        let pump = ServicesPump(w)
        _ = try await w.deploy(ServicesWorld.ranker.replacingOccurrences(of: #""initial": 2"#, with: #""initial": 6"#))
        try await w.schedule(pump)
        #expect(try w.replicas([.queued]).count == 2)
        w.clock.advance(61)
        _ = await w.reservoir.services.autoscale()
        let fulfilled = try w.reservoir.services.capacityRequests(state: .fulfilled, page: PageRequest(), by: ServicesWorld.op).items
        #expect(fulfilled.count == 1 && fulfilled.first?.nodes == ["r"])
        let last = try #require(try w.history().last)
        #expect(last.kind == .reserveNodesAdded && last.tier == .regionalReserve && last.actor == "system:autoscaler" && last.nodes == ["r"])
        try await w.schedule(pump)
        #expect(try w.replicas([.running]).count == 6)
        _ = pump
    }

    @Test("manual scaling within min…max with a reason, recorded; delete cancels the replicas and keeps the history")
    func manualAndDelete() async throws {
        let w = try ServicesWorld()
        let pump = ServicesPump(w)
        _ = try await w.deploy()
        try await w.schedule(pump)
        await #expect(throws: ReservoirError.self) { try await w.reservoir.services.scale("ranker", to: 11, reason: "too many", by: w.member) }
        await #expect(throws: ReservoirError.self) { try await w.reservoir.services.scale("ranker", to: 3, reason: "", by: w.member) }
        await #expect(throws: ReservoirError.self) { try await w.reservoir.services.scale("ranker", to: 3, reason: "not mine", by: w.other) }
        let view = try await w.reservoir.services.scale("ranker", to: 1, reason: "quiet week", by: w.member)
        #expect(view.replicas.desired == 1)
        try await w.settle()
        #expect(try w.active().count == 1)
        // The newest replica went.
        #expect(try w.active().first?.id == w.replicas().first?.id)
        let manual = try #require(try w.history().last)
        #expect(manual.kind == .manual && manual.before == 2 && manual.after == 1 && manual.actor == "user:alice" && manual.reason == "quiet week")

        // Traffic is split evenly over the running replicas, for the telemetry sampler.
        let load = w.reservoir.services.offeredLoad(at: w.clock.now)
        #expect(load.count == 1 && load.values.first == OfferedLoad(qps: 150, capacityQPS: 100))
        let shown = try w.reservoir.services.show("ranker", by: w.member)
        #expect(shown.load.qps == 150 && shown.load.measured == false && shown.load.gpuUtilPercent == 99)

        try await w.reservoir.services.delete("ranker", by: w.member)
        try await w.settle()
        #expect(try w.active().isEmpty)
        #expect(throws: ReservoirError.self) { try w.reservoir.services.show("ranker", by: w.member) }
        #expect(try w.history().map(\.kind) == [.deployed, .manual, .deleted])
        #expect(throws: ReservoirError.self) { try w.reservoir.services.history("ranker", page: PageRequest(), by: w.other) }
        _ = pump
    }
}


extension ServicesContextTests {
    @Test("a replica whose service is gone (a delete cut short) is cancelled by the next pass")
    func orphans() async throws {
        let w = try ServicesWorld()
        var job = Job(id: "pending", name: "gone", tenant: "alpha", submittedBy: "alice", pool: "serve", kind: .inference, request: ResourceRequest(gpus: 1))
        job.service = "gone"
        let orphan = try w.store.insertJob(job, by: Attribution(actor: "user:alice", at: w.clock.now))
        #expect(try w.store.orphanedReplicas().map(\.id) == [orphan.id])
        _ = await w.reservoir.services.autoscale()
        #expect(try w.store.job(orphan.id)?.state == .cancelled)
        #expect(try w.store.orphanedReplicas().isEmpty)
    }
}

/// Applies the engine's events to the application, as the engine event service does.
final class ServicesPump: Sendable {
    let task: Task<Void, Never>
    init(_ w: ServicesWorld) {
        let events = w.engine.events()
        let reservoir = w.reservoir
        task = Task { for await event in events { reservoir.scheduling.apply(event) } }
    }
    deinit { task.cancel() }
}
