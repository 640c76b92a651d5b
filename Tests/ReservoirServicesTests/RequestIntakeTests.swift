import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// A reservoir with pool `train` (2 nodes × 4 A100-80GB) and `small` (1 × 2 T4); tenant alpha with
/// member alice, manager boss and emergency approver em; tenant beta with bob; HQ approver hq.
struct IntakeWorld {
    static let inventory = """
        regions:
          - id: r1
            clusters:
              - id: c1
                pools:
                  - id: train
                    nodes:
                      - {name: a, count: 2, model: A100-80GB, gpus: 4, cpu: 32, memoryGiB: 256}
                  - id: small
                    nodes:
                      - {name: t, count: 1, model: T4, gpus: 2, cpu: 16, memoryGiB: 64}
        """
    static let op = Principal(user: User(id: "admin", roles: [.operator_]))
    let store: SQLiteStore
    let clock = ManualClock()
    let reservoir: Reservoir
    let alice = Principal(user: User(id: "alice", tenant: "alpha", roles: [.member]))
    let bob = Principal(user: User(id: "bob", tenant: "beta", roles: [.member]))
    let boss = Principal(user: User(id: "boss", tenant: "alpha", roles: [.approver]))
    let em = Principal(user: User(id: "em", tenant: "alpha", roles: [.emergencyApprover]))
    let hq = Principal(user: User(id: "hq", roles: [.approver]))

    init() throws {
        store = try SQLiteStore(path: nil)
        let engine = SimulatedEngine(nodes: [], speed: 1, clock: clock.function)
        reservoir = Reservoir(store: store, engine: engine, logger: World.logger, clock: clock.function)
        _ = try reservoir.inventory.importDescription(yaml: Self.inventory, by: Self.op)
        for tenant in ["alpha", "beta"] {
            _ = try reservoir.tenancy.createTenant(Tenant(id: TenantID(tenant)), by: Self.op)
            _ = try reservoir.tenancy.setQuota(Quota(tenant: TenantID(tenant), pool: "train", guaranteedMilli: 4_000, limitMilli: 8_000), by: Self.op)
        }
        for user in [alice, bob, boss, em, hq] { _ = try reservoir.tenancy.createUser(user.user, by: Self.op) }
    }

    /// A sound small L2 form as JSON, with `changes` applied (NSNull removes a key).
    static func form(_ changes: [String: Any] = [:], training: [String: Any] = [:]) -> [String: Any] {
        var details: [String: Any] = [
            "modelName": "m", "framework": "PyTorch", "parameters": 7e9, "tokens": 1e9, "gpuModel": "A100-80GB", "gpus": 2, "durationHours": 24,
        ]
        for (k, v) in training { details[k] = v is NSNull ? nil : v }
        var form: [String: Any] = [
            "department": "d", "project": "p", "contact": "c", "businessGoal": "g", "businessValue": "v", "kind": "training", "category": "L2",
            "training": details,
        ]
        for (k, v) in changes { form[k] = v is NSNull ? nil : v }
        return form
    }

    /// A form as JSON text (test arguments must be `Sendable`).
    static func text(_ json: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: json)) ?? Data(), as: UTF8.self)
    }

    func submit(_ json: [String: Any], by principal: Principal? = nil) throws -> RequestReply {
        let submission = try BodyDecoding.json(RequestSubmission.self, from: JSONSerialization.data(withJSONObject: json))
        return try reservoir.requests.submit(submission, by: principal ?? alice)
    }

    /// The error a form is refused with; fails the test if it is accepted.
    func refusal(_ json: [String: Any]) throws -> ReservoirError {
        do {
            let reply = try submit(json)
            Issue.record("accepted: \(reply.message)")
            return ReservoirError(.unavailable, "accepted")
        } catch let error as ReservoirError {
            return error
        }
    }
}

@Suite("Request intake: validation, examples, routing, withdrawal")
struct RequestIntakeTests {
    @Test("every bad field of a form is named in one 400, and nothing is stored")
    func everyProblemAtOnce() throws {
        let w = try IntakeWorld()
        let error = try w.refusal(IntakeWorld.form(
            ["department": NSNull(), "contact": "  ", "category": "online", "pool": "nowhere", "inference": ["modelName": "x"],
             "emergency": ["category": "boredom", "description": "x"]],
            training: ["parameters": 1e15, "tokens": 0, "gpuModel": "Z9", "gpus": -1, "durationHours": NSNull(), "modelName": NSNull()]))
        #expect(error.code == .invalidArgument)
        let fields = Set((error.field ?? "").components(separatedBy: ", "))
        for field in [
            "department", "contact", "category", "pool", "inference", "emergency.category", "training.parameters", "training.tokens", "training.gpuModel",
            "training.gpus", "training.durationHours", "training.modelName",
        ] {
            #expect(fields.contains(field), "\(field) not named: \(error)")
        }
        #expect(try w.store.requests(RequestFilter(), page: PageRequest()).items.isEmpty)
        #expect(try w.store.auditEntries(object: "requests", tenant: nil, limit: 10).isEmpty)
        #expect(try w.store.notifications(for: nil, page: PageRequest()).items.isEmpty)
    }

    @Test("each class of bad field, alone", arguments: [
        // missing
        ("missing kind", IntakeWorld.text(IntakeWorld.form(["kind": NSNull()])), "kind"),
        ("missing training block", IntakeWorld.text(IntakeWorld.form(["training": NSNull()])), "training"),
        ("missing tokens and dataset size", IntakeWorld.text(IntakeWorld.form(training: ["tokens": NSNull()])), "training.tokens"),
        // negative or absurd
        ("negative GPUs", IntakeWorld.text(IntakeWorld.form(training: ["gpus": -4])), "training.gpus"),
        ("absurd parameters", IntakeWorld.text(IntakeWorld.form(training: ["parameters": 1e15])), "training.parameters"),
        ("zero tokens", IntakeWorld.text(IntakeWorld.form(training: ["tokens": 0])), "training.tokens"),
        ("absurd duration", IntakeWorld.text(IntakeWorld.form(training: ["durationHours": 1e9])), "training.durationHours"),
        // catalog and inventory
        ("model not in the catalog", IntakeWorld.text(IntakeWorld.form(training: ["gpuModel": "Z9"])), "training.gpuModel"),
        ("model not in the pool", IntakeWorld.text(IntakeWorld.form(["pool": "small"])), "training.gpuModel"),
        ("unknown pool", IntakeWorld.text(IntakeWorld.form(["pool": "nowhere"])), "pool"),
        // contradictions
        ("category of the other kind", IntakeWorld.text(IntakeWorld.form(["category": "online"])), "category"),
        ("inference fields on a training form", IntakeWorld.text(IntakeWorld.form(["inference": ["modelName": "x"]])), "inference"),
        ("unknown emergency category", IntakeWorld.text(IntakeWorld.form(["emergency": ["category": "boredom", "description": "x"]])), "emergency.category"),
        ("p99 below the mean", IntakeWorld.text([
            "department": "d", "project": "p", "contact": "c", "businessGoal": "g", "businessValue": "v", "kind": "inference", "category": "online",
            "inference": ["modelName": "m", "gpuModel": "A100-80GB", "gpus": 2, "sla": ["p99LatencyMs": 50, "meanLatencyMs": 80, "peakQPS": 10]],
        ]), "inference.sla.p99LatencyMs"),
        ("offline batch without a window", IntakeWorld.text([
            "department": "d", "project": "p", "contact": "c", "businessGoal": "g", "businessValue": "v", "kind": "inference", "category": "offline-batch",
            "inference": ["modelName": "m", "gpuModel": "A100-80GB", "gpus": 2, "sla": ["p99LatencyMs": 500, "peakQPS": 10]],
        ]), "inference.durationHours"),
    ])
    func eachClass(_ name: String, _ form: String, _ field: String) throws {
        let w = try IntakeWorld()
        let error = try w.refusal(try #require(JSONSerialization.jsonObject(with: Data(form.utf8)) as? [String: Any]))
        #expect(error.code == .invalidArgument && error.field == field, "\(name): \(error)")
        #expect(try w.store.requests(RequestFilter(), page: PageRequest()).items.isEmpty)
    }

    @Test("a wrong type or an unknown key is refused by strict decoding, naming the field")
    func strictDecoding() throws {
        for (json, field) in [
            (IntakeWorld.form(training: ["gpus": "two"]), "training.gpus"), (IntakeWorld.form(["kind": "trainnig"]), "kind"),
            (IntakeWorld.form(["priority": "P0"]), "priority"), (IntakeWorld.form(training: ["gpu": 2]), "training.gpu"),
        ] {
            #expect(throws: ReservoirError.self) { _ = try IntakeWorld().submit(json) }
            do { _ = try IntakeWorld().submit(json) } catch let error as ReservoirError { #expect(error.field == field, "\(error)") }
        }
    }

    @Test("every examples/request-*.yaml is accepted and routed as its comments say")
    func examples() throws {
        let w = try IntakeWorld()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        func submit(_ name: String, by principal: Principal) throws -> RequestReply {
            let text = try String(contentsOf: root.appendingPathComponent("examples/\(name)"), encoding: .utf8)
            return try w.reservoir.requests.submit(try BodyDecoding.yaml(RequestSubmission.self, from: text), by: principal)
        }
        let l2 = try submit("request-training-l2.yaml", by: w.alice)
        #expect(l2.request.request.state == .granted && l2.grant?.gpuMilli == 2_000 && l2.grant?.priority == .p2, "\(l2.message)")
        #expect(l2.request.request.history.map(\.to) == [.approved, .granted] && l2.request.request.estimate?.gpuHours != nil)
        #expect(l2.job?.grant == l2.grant?.id && l2.job?.pool == "train" && l2.jobProblem == nil, "\(String(describing: l2.jobProblem))")

        let l1 = try submit("request-training-l1.yaml", by: w.alice)
        #expect(l1.request.request.state == .underReview && l1.request.request.routing?.tier == .hq && l1.grant == nil)
        #expect(l1.request.request.routing?.reviewers.contains("hq") == true && l1.message.contains("expected review by"), "\(l1.message)")
        #expect((l1.request.request.estimate?.gpuHours ?? 0) > 1e6)

        let online = try submit("request-inference-online.yaml", by: w.alice)
        #expect(online.request.request.asked.gpus == 4 && online.request.request.estimate?.gpus == 4)
        #expect(online.request.request.state == .underReview && online.request.request.routing?.reviewers == ["boss"], "\(online.message)")

        let routed = try submit("request-emergency.yaml", by: w.alice)
        #expect(routed.request.request.routing?.tier == .emergency && routed.request.request.routing?.reviewers == ["em"])
        let opened = try submit("request-emergency.yaml", by: w.em)
        #expect(opened.request.request.state == .granted && opened.grant?.priority == .p0 && opened.grant?.emergency != nil)
        let window = try #require(opened.grant.flatMap { grant in grant.endsAt.map { $0 - grant.startsAt } })
        #expect(abs(window - 12 * 3_600) < 1e-6, "\(window)")

        // Applicants hear of their request; reviewers of what is routed to them.
        let notices = try w.store.notifications(for: nil, page: PageRequest()).items
        #expect(notices.contains { $0.id == "request-\(online.request.request.id)-1-review-boss" })
        #expect(notices.contains { $0.id == "request-\(l2.request.request.id)-2-applicant" && $0.topic == "request.granted" })
        #expect(try w.store.auditEntries(object: "grants/\(l2.grant!.id)", tenant: nil, limit: 5).first?.actor == "user:alice")
    }

    @Test("reads: own tenant's, routed ones for their reviewer, 404 otherwise; withdraw: the tenant's submitters, once")
    func readAndWithdraw() throws {
        let w = try IntakeWorld()
        let big = try w.submit(IntakeWorld.form(training: ["gpus": 8]))
        let id = big.request.request.id
        #expect(big.request.request.routing?.tier == .manager)
        #expect(try w.reservoir.requests.request(id, by: w.boss).request.id == id)
        #expect(throws: ReservoirError.notFound("id", "no request \(id)")) { try w.reservoir.requests.request(id, by: w.bob) }
        #expect(try w.reservoir.requests.requests(page: PageRequest(), by: w.bob).items.isEmpty)
        #expect(try w.reservoir.requests.requests(reviewer: "boss", page: PageRequest(), by: w.boss).items.map(\.request.id) == [id])
        #expect(try w.reservoir.requests.requests(state: .underReview, page: PageRequest(), by: IntakeWorld.op).items.count == 1)
        #expect(throws: ReservoirError.self) { try w.reservoir.requests.requests(tenant: "alpha", page: PageRequest(), by: w.bob) }

        #expect(throws: ReservoirError.notFound("id", "no request \(id)")) { try w.reservoir.requests.withdraw(id, by: w.bob) }
        #expect(throws: ReservoirError.self) { try w.reservoir.requests.withdraw(id, by: w.hq) }
        let withdrawn = try w.reservoir.requests.withdraw(id, reason: "found capacity elsewhere", by: w.alice)
        #expect(withdrawn.request.state == .withdrawn && withdrawn.request.history.last?.reason == "found capacity elsewhere")
        #expect(throws: ReservoirError.self) { try w.reservoir.requests.withdraw(id, by: w.alice) }
        #expect(try w.store.requests(RequestFilter(reviewer: "boss"), page: PageRequest()).items.isEmpty)

        // Overdue shows once the review deadline (one working day) passes undecided.
        let routed = try w.submit(IntakeWorld.form(training: ["gpus": 8]))
        #expect(!routed.request.overdue)
        w.clock.advance(4 * 86_400)
        #expect(try w.reservoir.requests.request(routed.request.request.id, by: w.alice).overdue)
    }

    @Test("an idempotent retry returns the first request; a disabled tenant takes none")
    func idempotencyAndTenant() throws {
        let w = try IntakeWorld()
        let submission = try BodyDecoding.json(RequestSubmission.self, from: JSONSerialization.data(withJSONObject: IntakeWorld.form()))
        let first = try w.reservoir.requests.submit(submission, idempotencyKey: "k1", by: w.alice)
        let again = try w.reservoir.requests.submit(submission, idempotencyKey: "k1", by: w.alice)
        #expect(again.request.request.id == first.request.request.id && again.grant?.id == first.grant?.id)
        #expect(try w.store.requests(RequestFilter(), page: PageRequest()).items.count == 1)
        #expect(throws: ReservoirError.self) { try w.submit(IntakeWorld.form(["tenant": "beta"])) }
    }
}
