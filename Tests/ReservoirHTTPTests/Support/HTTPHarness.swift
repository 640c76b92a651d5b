import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import ReservoirComposition
import ReservoirCore
import ReservoirEngine
import ReservoirHTTP
import ReservoirServices
import ReservoirStore
import Testing

/// One HTTP answer: status, headers (names in lower case) and body, with JSON helpers.
struct Reply: Sendable {
    var status: Int
    var body: Data
    var headers: [String: String] = [:]

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
    /// The `error` object of a JSON error body.
    var error: [String: Any] { object["error"] as? [String: Any] ?? [:] }
    var errorCode: String? { error["code"] as? String }
    var errorField: String? { error["field"] as? String }
    var errorMessage: String { error["message"] as? String ?? "" }
    /// The target of the `Link: <…>; rel="next"` header of a list page; nil on the last page.
    var next: String? { headers["link"].flatMap { link in link.contains("rel=\"next\"") ? link.split(separator: ">").first.map { String($0.dropFirst()) } : nil } }
}

/// A minimal client over `HTTPClient.shared`, bound to one server.
struct API: Sendable {
    let base: String

    init(port: Int) { base = "http://127.0.0.1:\(port)" }
    init(base: String) { self.base = base }

    func send(
        _ method: HTTPMethod, _ path: String, token: String?, body: String? = nil, contentType: String = "application/json",
        headers: [String: String] = [:], timeout: TimeAmount = .seconds(20)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 32 << 20)
        let headers = Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { a, b in "\(a), \(b)" })
        return Reply(status: Int(response.status.code), body: Data(buffer: bytes), headers: headers)
    }

    func get(_ path: String, token: String?) async throws -> Reply { try await send(.GET, path, token: token) }

    func post(_ path: String, token: String?, json: [String: Any]) async throws -> Reply {
        let data = try JSONSerialization.data(withJSONObject: json)
        return try await send(.POST, path, token: token, body: String(decoding: data, as: UTF8.self))
    }

    func put(_ path: String, token: String?, json: [String: Any]) async throws -> Reply {
        let data = try JSONSerialization.data(withJSONObject: json)
        return try await send(.PUT, path, token: token, body: String(decoding: data, as: UTF8.self))
    }

    /// Polls a job until `done` holds for its state, collecting every state seen; bounded.
    func waitForJob(
        _ id: String, token: String, timeout: Double = 15, until done: (String) -> Bool
    ) async throws -> (final: String, seen: [String]) {
        var seen: [String] = []
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let r = try await get("/v1/jobs/\(id)", token: token)
            let state = r.object["state"] as? String ?? "?"
            if seen.last != state { seen.append(state) }
            if done(state) || Date() > deadline { return (state, seen) }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }
}

/// The fixture every end-to-end test uses: an inventory, two tenants, a member of each.
enum Fixture {
    static let operatorToken = "op-secret-token"

    /// Pool `p1`: two nodes of 4 × A100-80GB; pool `p2`: one node of 2 × T4.
    static let inventoryYAML = """
        regions:
          - id: r1
            clusters:
              - id: c1
                engine: simulated
                pools:
                  - id: p1
                    purpose: training
                    sharing: exclusive
                    nodes:
                      - {name: a100, count: 2, model: A100-80GB, gpus: 4, cpu: 32, memoryGiB: 256, rack: k1}
                  - id: p2
                    purpose: testing
                    nodes:
                      - {name: t4, count: 1, model: T4, gpus: 2, cpu: 16, memoryGiB: 64}
        """

    struct Tenancy: Sendable {
        var alice: String  // member of alpha
        var bob: String  // member of beta
    }

    /// Imports the inventory, creates tenants alpha/beta with quotas, users alice/bob and their tokens.
    static func setUp(_ api: API, alphaQuota: (Double, Double) = (2, 4), betaQuota: (Double, Double) = (6, 6)) async throws -> Tenancy {
        let op = operatorToken
        let imported = try await api.send(.POST, "/v1/import", token: op, body: inventoryYAML, contentType: "application/yaml")
        try #require(imported.status == 201, "import: \(imported.text)")
        var tokens: [String] = []
        for (tenant, user, quota) in [("alpha", "alice", alphaQuota), ("beta", "bob", betaQuota)] {
            let t = try await api.post("/v1/tenants", token: op, json: ["id": tenant, "name": tenant.capitalized])
            try #require(t.status == 201, "tenant: \(t.text)")
            let u = try await api.post("/v1/users", token: op, json: ["id": user, "tenant": tenant, "roles": ["member"]])
            try #require(u.status == 201, "user: \(u.text)")
            let k = try await api.post("/v1/tokens", token: op, json: ["user": user])
            try #require(k.status == 201, "token: \(k.text)")
            tokens.append(try #require(k.object["token"] as? String))
            let q = try await api.put("/v1/quotas", token: op, json: ["tenant": tenant, "pool": "p1", "guaranteed": quota.0, "limit": quota.1])
            try #require(q.status == 200, "quota: \(q.text)")
        }
        return Tenancy(alice: tokens[0], bob: tokens[1])
    }

    /// A job submission as JSON text.
    static func job(
        _ name: String, pool: String = "p1", gpus: Int = 1, replicas: Int = 1, runtime: Double = 1, models: String? = nil,
        priority: String? = nil, tenant: String? = nil
    ) -> [String: Any] {
        var request: [String: Any] = ["gpus": gpus, "cpuMilli": 1000, "memoryMiB": 1024]
        if let models { request["models"] = models }
        var job: [String: Any] = ["name": name, "pool": pool, "replicas": replicas, "runtimeSeconds": runtime, "request": request]
        if let priority { job["priority"] = priority }
        if let tenant { job["tenant"] = tenant }
        return job
    }
}

/// An in-process server on a loopback port over an in-memory store and a fast simulated engine.
enum InProcessServer {
    static let quietLogger = Logger(label: "reservoir-test") { _ in SwiftLogNoOpLogHandler() }

    static func makeReservoir(speed: Double = 1000, store: SQLiteStore? = nil) throws -> Reservoir {
        let store = try store ?? SQLiteStore(path: nil)
        let engine = SimulatedEngine(nodes: [], speed: speed, clock: { Date().timeIntervalSince1970 })
        var configuration = Reservoir.Configuration(cycleInterval: 0.1)
        configuration.verifySchedulerView = true
        let reservoir = Reservoir(store: store, engine: engine, configuration: configuration, logger: quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        return reservoir
    }

    /// Runs `body` against a live server; the server stops when `body` returns.
    static func with<T: Sendable>(
        _ reservoir: Reservoir? = nil, speed: Double = 1000, _ body: @Sendable (API, Reservoir) async throws -> T
    ) async throws -> T {
        let reservoir = try reservoir ?? makeReservoir(speed: speed)
        let app = CompositionRoot.application(reservoir, host: "127.0.0.1", port: 0)
        return try await app.test(.live) { client in
            let port = try #require(client.port)
            return try await body(API(port: port), reservoir)
        }
    }
}
