import Foundation
import ReservoirHTTP
import Testing

/// What strict input lets through, and what the audit log keeps of a job's life.
@Suite("End to end: strict input and compact audit")
struct StrictInputTests {
    @Test("a CPU-only job that states cpuMilli is accepted; the same job without it is refused")
    func cpuOnlyJobsSaySo() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            let explicit = try await api.send(.POST, "/v1/jobs", token: t.alice, body: "name: cpu\npool: p1\nrequest:\n  gpus: 0\n  cpuMilli: 500\n", contentType: "application/yaml")
            #expect(explicit.status == 201, "\(explicit.text)")
            let implicit = try await api.send(.POST, "/v1/jobs", token: t.alice, body: "name: cpu\npool: p1\nrequest:\n  memoryMiB: 512\n", contentType: "application/yaml")
            #expect(implicit.status == 400 && implicit.errorField == "request", "\(implicit.text)")
        }
    }

    @Test("the audit log keeps a job whole once, at submission, and only the changed fields after that")
    func auditKeepsChanges() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            let job = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("audited"))
            let id = try #require(job.object["id"] as? String)
            _ = try await api.waitForJob(id, token: t.alice) { $0 == "succeeded" }
            let entries = try await api.get("/v1/audit?object=jobs/\(id)", token: Fixture.operatorToken).array
            let actions = entries.compactMap { $0["action"] as? String }
            #expect(actions.contains("job.submit") && actions.contains("job.succeeded"), "\(actions)")
            for entry in entries where entry["action"] as? String != "job.submit" {
                let after = try #require(entry["after"] as? String)
                let changed = try #require(try JSONSerialization.jsonObject(with: Data(after.utf8)) as? [String: Any])
                #expect(changed["request"] == nil && changed["name"] == nil && changed["tenant"] == nil, "\(entry["action"] ?? ""): \(after)")
                #expect(changed["state"] != nil, "\(entry["action"] ?? ""): \(after)")
            }
            let submit = try #require(entries.first { $0["action"] as? String == "job.submit" }?["after"] as? String)
            #expect(submit.contains("\"request\""), "a submission keeps the whole job")
            let changes = entries.filter { $0["action"] as? String != "job.submit" }
            let changeBytes = changes.reduce(0) { $0 + (($1["before"] as? String)?.utf8.count ?? 0) + (($1["after"] as? String)?.utf8.count ?? 0) }
            #expect(changeBytes < 2 * submit.utf8.count, "\(changes.count) changes take \(changeBytes) bytes next to a \(submit.utf8.count)-byte job")
        }
    }
}
