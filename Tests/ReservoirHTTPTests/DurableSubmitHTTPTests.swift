import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// `POST /v1/jobs` goes through the group commit: many clients at once, retries with the same key
/// racing each other, and the API still answers as one-at-a-time writes did.
@Suite("Durable submissions over HTTP")
struct DurableSubmitHTTPTests {
    @Test("32 concurrent submissions and 8 racing retries of one key: every 201 is a stored job, one job per key, ids dense")
    func concurrentSubmissions() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            let body = String(decoding: try JSONSerialization.data(withJSONObject: Fixture.job("train", runtime: 600)), as: UTF8.self)
            let answers = try await withThrowingTaskGroup(of: (key: String, status: Int, id: String?).self) { group in
                for i in 0..<40 {
                    let key = i < 32 ? "k-\(i)" : "shared"
                    group.addTask {
                        let r = try await api.send(.POST, "/v1/jobs", token: t.alice, body: body, headers: ["Idempotency-Key": key])
                        return (key, r.status, r.object["id"] as? String)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // A retry that raced the first request with its key is told to retry (409) or gets the same job.
            #expect(answers.allSatisfy { $0.status == 201 || ($0.key == "shared" && $0.status == 409) }, "\(answers.map(\.status))")
            let shared = Set(answers.filter { $0.key == "shared" && $0.status == 201 }.compactMap(\.id))
            #expect(shared.count == 1)
            let listed = try await api.get("/v1/jobs?limit=100", token: t.alice)
            let ids = listed.array.compactMap { $0["id"] as? String }.sorted()
            #expect(ids == (1...33).map { String(format: "job-%06d", $0) })
            #expect(Set(answers.filter { $0.status == 201 }.compactMap(\.id)) == Set(ids))
            let audit = try await api.get("/v1/audit?limit=1000", token: Fixture.operatorToken)
            let submits = audit.array.filter { $0["action"] as? String == "job.submit" }.compactMap { $0["object"] as? String }
            #expect(Set(submits) == Set(ids.map { "jobs/\($0)" }) && submits.count == ids.count)
        }
    }
}
