import Foundation
import ReservoirServices
import Testing

/// A pool's sharing mode over HTTP: MIG instances placed by the model's geometry on MIG-mode GPUs,
/// exclusive pools refusing shares, shares' GPU memory filtered and accounted per device.
@Suite("End to end: MIG placement and pool sharing modes")
struct SharingAndMIGTests {
    /// Pool `pm`: one A100-80GB in MIG mode (by the pool's sharing); pool `ps`: one A100-80GB shared by time-slicing.
    static let sharedPoolsYAML = """
        regions:
          - id: r1
            clusters:
              - id: c1
                engine: simulated
                pools:
                  - id: pm
                    sharing: mig
                    nodes:
                      - {name: mig, model: A100-80GB, gpus: 1, cpu: 32, memoryGiB: 256}
                  - id: ps
                    sharing: time-slicing
                    nodes:
                      - {name: shared, model: A100-80GB, gpus: 1, cpu: 32, memoryGiB: 256}
        """

    /// Tenants as in `Fixture.setUp`, plus the two pools above with one GPU of quota for alpha in each.
    static func setUp(_ api: API) async throws -> Fixture.Tenancy {
        let t = try await Fixture.setUp(api)
        let imported = try await api.send(.POST, "/v1/import", token: Fixture.operatorToken, body: sharedPoolsYAML, contentType: "application/yaml")
        try #require(imported.status == 201, "import: \(imported.text)")
        for pool in ["pm", "ps"] {
            let q = try await api.put("/v1/quotas", token: Fixture.operatorToken, json: ["tenant": "alpha", "pool": pool, "guaranteed": 1, "limit": 1])
            try #require(q.status == 200, "quota: \(q.text)")
        }
        return t
    }

    static func job(_ name: String, pool: String, _ request: [String: Any]) -> [String: Any] {
        ["name": name, "pool": pool, "runtimeSeconds": 1_000_000, "request": request.merging(["cpuMilli": 1000, "memoryMiB": 1024]) { a, _ in a }]
    }

    /// Polls explain until the scheduler has recorded a reason.
    static func reason(_ api: API, _ id: String, token: String) async throws -> String {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let r = try await api.get("/v1/jobs/\(id)/explain", token: token)
            if r.object["kind"] as? String != "scheduling" || Date() > deadline { return r.object["message"] as? String ?? r.text }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    @Test("1g.10gb and 3g.40gb run together on an A100-80GB in MIG mode; a 3g.40gb that breaks the geometry waits saying so")
    func migSlicesRunTogether() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Self.setUp(api)
            let node = try await api.get("/v1/nodes/mig", token: Fixture.operatorToken)
            #expect((node.object["devices"] as? [[String: Any]])?.first?["mig"] as? Bool == true, "\(node.text)")

            var ids: [String] = []
            for (name, profile) in [("big", "3g.40gb"), ("small", "1g.10gb")] {
                let r = try await api.post("/v1/jobs", token: t.alice, json: Self.job(name, pool: "pm", ["migProfile": profile]))
                #expect(r.status == 201, "\(r.text)")
                ids.append(try #require(r.object["id"] as? String, "\(r.text)"))
            }
            var starts: [Int] = []
            for id in ids {
                let (state, seen) = try await api.waitForJob(id, token: t.alice) { $0 == "running" }
                #expect(state == "running", "\(id) went \(seen)")
                let job = try await api.get("/v1/jobs/\(id)", token: t.alice)
                let placement = try #require((job.object["placements"] as? [[String: Any]])?.first, "\(job.text)")
                #expect(placement["node"] as? String == "mig")
                starts.append(try #require(placement["migStartSlice"] as? Int, "\(job.text)"))
            }
            #expect(starts == [0, 4], "3g.40gb at slice 0, then 1g.10gb at the first free slice 4")

            // 3 + 1 + 3 compute slices fit in 7, but a 3g.40gb starts only at slice 0 or 4, both taken.
            let late = try await api.post("/v1/jobs", token: t.alice, json: Self.job("late", pool: "pm", ["migProfile": "3g.40gb"]))
            let lateID = try #require(late.object["id"] as? String, "\(late.text)")
            let why = try await Self.reason(api, lateID, token: t.alice)
            #expect(why.contains("no free MIG slot for the profile"), "\(why)")

            // A whole GPU in a MIG pool, a profile the model does not offer, an unknown profile: refused, naming why.
            let whole = try await api.post("/v1/jobs", token: t.alice, json: Self.job("whole", pool: "pm", ["gpus": 1]))
            #expect(whole.status == 422 && whole.text.contains("MIG"), "\(whole.text)")
            let foreign = try await api.post("/v1/jobs", token: t.alice, json: Self.job("foreign", pool: "pm", ["migProfile": "1g.5gb"]))
            #expect(foreign.status == 422 && foreign.text.contains("1g.10gb"), "lists the valid profiles: \(foreign.text)")
            let unknown = try await api.post("/v1/jobs", token: t.alice, json: Self.job("unknown", pool: "pm", ["migProfile": "5g.50gb"]))
            #expect(unknown.status == 400 && unknown.errorField == "request.migProfile", "\(unknown.text)")
        }
    }

    @Test("an exclusive pool refuses shares and MIG at submission (422 naming its mode); shares' GPU memory is filtered and accounted per device")
    func sharingModesAndShareMemory() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Self.setUp(api)
            let half = try await api.post("/v1/jobs", token: t.alice, json: Self.job("half", pool: "p1", ["gpus": 1, "gpuMilli": 500]))
            #expect(half.status == 422 && half.errorField == "request" && half.text.contains("exclusive"), "\(half.text)")
            let mig = try await api.post("/v1/jobs", token: t.alice, json: Self.job("mig", pool: "p1", ["migProfile": "1g.10gb"]))
            #expect(mig.status == 422 && mig.text.contains("exclusive"), "\(mig.text)")
            let migShared = try await api.post("/v1/jobs", token: t.alice, json: Self.job("mig", pool: "ps", ["migProfile": "1g.10gb"]))
            #expect(migShared.status == 422 && migShared.text.contains("time-slicing"), "\(migShared.text)")

            // Two 40000 MiB shares fit the 81920 MiB device; a third waits on memory with 40% of the GPU free.
            var ids: [String] = []
            for k in 1...3 {
                let r = try await api.post("/v1/jobs", token: t.alice, json: Self.job("s\(k)", pool: "ps", ["gpus": 1, "gpuMilli": 200, "gpuMemoryMiB": 40_000]))
                #expect(r.status == 201, "\(r.text)")
                ids.append(try #require(r.object["id"] as? String, "\(r.text)"))
            }
            for id in ids.prefix(2) {
                let (state, seen) = try await api.waitForJob(id, token: t.alice) { $0 == "running" }
                #expect(state == "running", "\(id) went \(seen)")
            }
            let why = try await Self.reason(api, ids[2], token: t.alice)
            #expect(why.contains("insufficient GPU memory"), "\(why)")

            let huge = try await api.post("/v1/jobs", token: t.alice, json: Self.job("huge", pool: "ps", ["gpus": 1, "gpuMilli": 200, "gpuMemoryMiB": 100_000]))
            #expect(huge.status == 422 && huge.text.contains("81920 MiB"), "names the largest device: \(huge.text)")
            let whole = try await api.post("/v1/jobs", token: t.alice, json: Self.job("whole", pool: "ps", ["gpus": 1, "gpuMemoryMiB": 1_000]))
            #expect(whole.status == 400 && whole.errorField == "request.gpuMemoryMiB", "\(whole.text)")
        }
    }
}
