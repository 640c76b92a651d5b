import Foundation
import ReservoirHTTP
import Testing

/// The user story end to end over HTTP: an operator sets up a reservoir, a member runs jobs.
@Suite("End to end: operator and member flow")
struct OperatorFlowTests {
    @Test("operator lists inventory, creates tenancy, member submits YAML and JSON jobs that run to success")
    func operatorFlow() async throws {
        try await InProcessServer.with { api, _ in
            let op = Fixture.operatorToken
            let tenancy = try await Fixture.setUp(api)

            // Inventory with state.
            let regions = try await api.get("/v1/regions", token: op)
            #expect(regions.status == 200)
            #expect(regions.array.map { $0["id"] as? String } == ["r1"])
            let clusters = try await api.get("/v1/clusters", token: op)
            #expect(clusters.array.contains { $0["id"] as? String == "c1" })
            let pools = try await api.get("/v1/pools", token: op)
            let p1 = try #require(pools.array.first { $0["id"] as? String == "p1" })
            #expect(p1["gpus"] as? Int == 8)
            #expect(p1["nodes"] as? Int == 2)
            #expect(p1["purpose"] as? String == "training")
            let nodes = try await api.get("/v1/nodes?pool=p1", token: op)
            #expect(nodes.array.count == 2)
            #expect(nodes.array.allSatisfy { $0["state"] is String && $0["cpuMilli"] as? Int == 32000 })
            let devices = try await api.get("/v1/devices", token: op)
            #expect(devices.array.count == 10)
            #expect(devices.array.allSatisfy { $0["state"] as? String == "available" })
            #expect(Set(devices.array.compactMap { $0["model"] as? String }) == ["A100-80GB", "T4"])
            let catalog = try await api.get("/v1/catalog", token: op)
            #expect(catalog.status == 200 && catalog.text.contains("H100-80GB"))
            let quotas = try await api.get("/v1/quotas", token: op)
            #expect(quotas.array.contains { $0["tenant"] as? String == "alpha" && $0["limit"] as? Double == 4 })
            let users = try await api.get("/v1/users", token: op)
            #expect(users.array.contains { $0["id"] as? String == "alice" })
            let tokens = try await api.get("/v1/tokens", token: op)
            #expect(tokens.status == 200 && !tokens.text.contains(tenancy.alice), "token secrets must never be listed")

            // A member submits from YAML…
            let yaml = """
                name: yaml-job
                pool: p1
                replicas: 1
                runtimeSeconds: 2
                request:
                  gpus: 1
                  cpuMilli: 2000
                  memoryMiB: 4096
                  models: A100-80GB
                """
            let fromYAML = try await api.send(.POST, "/v1/jobs", token: tenancy.alice, body: yaml, contentType: "application/yaml")
            #expect(fromYAML.status == 201, "\(fromYAML.text)")
            #expect(fromYAML.object["state"] as? String == "queued")
            #expect(fromYAML.object["tenant"] as? String == "alpha")
            let yamlID = try #require(fromYAML.object["id"] as? String)

            // …and from JSON.
            let fromJSON = try await api.post("/v1/jobs", token: tenancy.alice, json: Fixture.job("json-job", gpus: 2))
            #expect(fromJSON.status == 201, "\(fromJSON.text)")
            let jsonID = try #require(fromJSON.object["id"] as? String)

            for id in [yamlID, jsonID] {
                let (final, _) = try await api.waitForJob(id, token: tenancy.alice) { $0 == "succeeded" || $0 == "failed" }
                #expect(final == "succeeded", "job \(id) ended \(final)")
                let events = try await api.get("/v1/jobs/\(id)/events", token: tenancy.alice)
                let kinds = events.array.compactMap { $0["kind"] as? String }
                #expect(kinds == ["submitted", "admitted", "running", "succeeded"], "job \(id) went \(kinds)")
                let explained = try await api.get("/v1/jobs/\(id)/explain", token: tenancy.alice)
                #expect(explained.object["kind"] as? String == "finished")
            }
            let listed = try await api.get("/v1/jobs", token: tenancy.alice)
            #expect(Set(listed.array.compactMap { $0["id"] as? String }) == [yamlID, jsonID])
            let audit = try await api.get("/v1/audit?object=jobs/\(yamlID)", token: op)
            #expect(Set(audit.array.compactMap { $0["action"] as? String }).isSuperset(of: ["job.submit", "job.admit", "job.running", "job.succeeded"]))
        }
    }

    @Test("explain says quota, capacity; an absent model is refused at submission")
    func explainPendingJobs() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api, alphaQuota: (2, 4), betaQuota: (6, 6))

            // Beta fills 6 of 8 GPUs for a long time: 3 on each node.
            let hog = try await api.post("/v1/jobs", token: t.bob, json: Fixture.job("hog", gpus: 3, replicas: 2, runtime: 1_000_000))
            #expect(hog.status == 201, "\(hog.text)")
            let hogID = try #require(hog.object["id"] as? String)
            let (hogState, _) = try await api.waitForJob(hogID, token: t.bob) { $0 == "running" }
            #expect(hogState == "running")

            // A gang above alpha's limit of 4 GPUs could never run: refused at once, naming the limit.
            let never = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("never", gpus: 4, replicas: 2))
            #expect(never.status == 422 && never.errorField == "request", "\(never.text)")
            #expect(never.text.contains("limit") && never.text.contains("4 GPUs"), "\(never.text)")
            // Alpha holds the last 2 free GPUs (1 on each node); 3 more would pass its limit of 4 while it does: quota.
            let holder = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("holder", gpus: 1, replicas: 2, runtime: 1_000_000))
            let holderID = try #require(holder.object["id"] as? String, "\(holder.text)")
            _ = try await api.waitForJob(holderID, token: t.alice) { $0 == "running" }
            let big = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("too-big-for-quota", gpus: 3))
            #expect(big.status == 201, "\(big.text)")
            let bigID = try #require(big.object["id"] as? String)
            // Within alpha's limit but no GPU is free: capacity.
            let frag = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("fragmented", gpus: 2))
            let fragID = try #require(frag.object["id"] as? String)

            let quota = try await waitForReason(api, bigID, token: t.alice)
            #expect(quota.object["kind"] as? String == "quota", "\(quota.text)")
            #expect(quota.object["state"] as? String == "queued")
            #expect(quota.errorCode == nil && (quota.object["message"] as? String ?? "").contains("limit"))
            let capacity = try await waitForReason(api, fragID, token: t.alice)
            #expect(capacity.object["kind"] as? String == "capacity", "\(capacity.text)")
            #expect((capacity.object["queuePosition"] as? Int) != nil)

            // A running job explains where it runs.
            let placed = try await api.get("/v1/jobs/\(hogID)/explain", token: t.bob)
            #expect(placed.object["kind"] as? String == "placed")
            #expect((placed.object["placements"] as? [Any])?.count == 2)

            // A model the catalog does not know: 404 at submission; a known model absent from the pool: 422.
            let unknown = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("ghost-model", models: "Z9000"))
            #expect(unknown.status == 404)
            #expect(unknown.errorField == "request.models")
            let absent = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("absent-model", models: "H100-80GB"))
            #expect(absent.status == 422)
            #expect(absent.errorField == "request")

            // Cancelling the hog frees its devices; the waiting jobs then get their turn.
            _ = try await api.send(.POST, "/v1/jobs/\(holderID)/cancel", token: t.alice)
            let cancelled = try await api.send(.POST, "/v1/jobs/\(hogID)/cancel", token: t.bob)
            #expect(cancelled.status == 200 && cancelled.object["state"] as? String == "cancelled")
            let (fragFinal, _) = try await api.waitForJob(fragID, token: t.alice) { $0 == "succeeded" }
            #expect(fragFinal == "succeeded")
            let again = try await api.send(.POST, "/v1/jobs/\(hogID)/cancel", token: t.bob)
            #expect(again.status == 409 && again.errorField == "state")
        }
    }

    /// Polls explain until the scheduler has recorded a reason (kind other than `scheduling`).
    func waitForReason(_ api: API, _ id: String, token: String) async throws -> Reply {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let r = try await api.get("/v1/jobs/\(id)/explain", token: token)
            if r.object["kind"] as? String != "scheduling" || Date() > deadline { return r }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    @Test("/healthz, /readyz and /metrics answer; metrics carry devices, queue length and cycle duration")
    func observability() async throws {
        try await InProcessServer.with { api, _ in
            _ = try await Fixture.setUp(api)
            let health = try await api.get("/healthz", token: nil)
            #expect(health.status == 200 && health.text.contains("ok"))
            let ready = try await api.get("/readyz", token: nil)
            #expect(ready.status == 200 && ready.text.contains("ready"))
            let deadline = Date().addingTimeInterval(10)
            var metrics = ""
            repeat {
                metrics = try await api.get("/metrics", token: nil).text
                if metrics.contains("reservoir_devices{") && metrics.contains("reservoir_queue_length{")
                    && metrics.contains("reservoir_scheduling_cycle_seconds") { break }
                try await Task.sleep(nanoseconds: 50_000_000)
            } while Date() < deadline
            #expect(metrics.contains("reservoir_devices{"))
            #expect(metrics.contains("reservoir_queue_length{"))
            #expect(metrics.contains("reservoir_scheduling_cycle_seconds"))
            #expect(metrics.contains("reservoir_allocated_gpus{"))
        }
    }
}
