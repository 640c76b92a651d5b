import Foundation
import ReservoirServices
import Testing

/// Profile matching through the running server: in a mixed pool with free capacity on every model,
/// the kind a job is submitted with decides the model it runs on, and explain says so.
@Suite("End to end: profile matching in a mixed pool")
struct ProfileMatchingTests {
    static let inventoryYAML = """
        regions:
          - id: r1
            clusters:
              - id: c1
                engine: simulated
                pools:
                  - id: mix
                    purpose: mixed
                    sharing: time-slicing
                    nodes:
                      - {name: t4, count: 1, model: T4, gpus: 4, cpu: 32, memoryGiB: 128}
                      - {name: l40s, count: 1, model: L40S, gpus: 4, cpu: 32, memoryGiB: 128}
                      - {name: a100, count: 1, model: A100-40GB, gpus: 4, cpu: 32, memoryGiB: 128}
        """

    @Test("inference runs on the fastest memory (A100-40GB), training on the largest (L40S), tests on the cheapest (T4)")
    func kindPicksModel() async throws {
        try await InProcessServer.with { api, _ in
            let op = Fixture.operatorToken
            let imported = try await api.send(.POST, "/v1/import", token: op, body: Self.inventoryYAML, contentType: "application/yaml")
            try #require(imported.status == 201, "import: \(imported.text)")
            try #require(try await api.post("/v1/tenants", token: op, json: ["id": "alpha", "name": "Alpha"]).status == 201)
            let q = try await api.put("/v1/quotas", token: op, json: ["tenant": "alpha", "pool": "mix", "guaranteed": 0, "limit": 12])
            try #require(q.status == 200, "quota: \(q.text)")

            for (kind, node) in [("inference", "a100"), ("training", "l40s"), ("test", "t4")] {
                var job = Fixture.job(kind, pool: "mix", runtime: 100_000, tenant: "alpha")
                job["kind"] = kind
                let submitted = try await api.post("/v1/jobs", token: op, json: job)
                let id = try #require(submitted.object["id"] as? String, "\(submitted.text)")
                let state = try await api.waitForJob(id, token: op) { $0 == "running" }
                try #require(state.final == "running", "\(kind): \(state.seen)")
                let placed = try await api.get("/v1/jobs/\(id)", token: op)
                let first = try #require((placed.object["placements"] as? [[String: Any]])?.first, "\(placed.text)")
                #expect(first["node"] as? String == node, "\(kind): \(placed.text)")
                let why = try await api.get("/v1/jobs/\(id)/explain", token: op)
                #expect(why.text.contains("profile: \(kind) job"), "\(why.text)")
            }
        }
    }
}
