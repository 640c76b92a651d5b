import Foundation
import ReservoirCore
import Testing

/// Metering through the running server: live usage per project with the open sessions, their close on
/// cancel, the reconciliation route on an engine without accounting, and the usage counters on /metrics
/// (month-to-date charges only with metrics.perTenantMoney, MetricsMoneyTests).
@Suite("Usage over HTTP")
struct UsageHTTPTests {
    @Test("a running job's open session counts in /v1/usage (per project, ?open=true) and on /metrics; a cancel closes it; reconciliation needs an operator")
    func liveUsage() async throws {
        try await InProcessServer.with { api, _ in
            let tenancy = try await Fixture.setUp(api)
            let op = Fixture.operatorToken
            var spec = Fixture.job("metered", gpus: 2, runtime: 10_000_000)
            spec["project"] = "search"
            let submitted = try await api.post("/v1/jobs", token: tenancy.alice, json: spec)
            try #require(submitted.status == 201, "\(submitted.text)")
            #expect(submitted.object["project"] as? String == "search")
            let id = try #require(submitted.object["id"] as? String)
            #expect(try await api.waitForJob(id, token: tenancy.alice) { $0 == "running" }.final == "running")

            let live = try await api.get("/v1/usage?open=true", token: tenancy.alice)
            #expect(live.status == 200 && live.object["open"] as? Bool == true, "\(live.text)")
            let lines = try #require(live.object["lines"] as? [[String: Any]])
            #expect(lines.count == 1 && lines[0]["project"] as? String == "search" && lines[0]["tenant"] as? String == "alpha", "\(lines)")
            #expect((lines[0]["gpuHours"] as? Double ?? 0) > 0, "an open session counts up to now")
            let sessions = try #require(live.object["sessions"] as? [[String: Any]])
            #expect(sessions.map { $0["job"] as? String } == [id] && sessions[0]["endedAt"] == nil && sessions[0]["gpuMilli"] as? Int == 2000)
            #expect((try await api.get("/v1/usage?open=true", token: tenancy.bob).object["lines"] as? [[String: Any]])?.isEmpty == true, "beta sees none of alpha's")

            var metrics = ""
            for _ in 0..<50 {
                metrics = try await api.get("/metrics", token: nil).text
                if metrics.contains(#"reservoir_usage_open_sessions{tenant="alpha""#) { break }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            #expect(metrics.contains(#"reservoir_usage_open_sessions{tenant="alpha",model="A100-80GB"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"reservoir_usage_gpu_seconds_total{tenant="alpha",model="A100-80GB"}"#))
            #expect(metrics.contains("# TYPE reservoir_usage_gpu_seconds_total counter"))
            #expect(!metrics.contains(#"reservoir_tenant_charges_month_to_date{tenant="alpha"}"#), "a tenant's charges only with metrics.perTenantMoney")

            let cancelled = try await api.send(.POST, "/v1/jobs/\(id)/cancel", token: tenancy.alice)
            #expect(cancelled.status == 200, "\(cancelled.text)")
            _ = try await api.waitForJob(id, token: tenancy.alice) { $0 == "cancelled" }
            #expect((try await api.get("/v1/usage?open=true", token: op).object["sessions"] as? [[String: Any]])?.isEmpty == true)
            let closed = try #require(try await api.get("/v1/usage", token: op).object["sessions"] as? [[String: Any]]).filter { $0["job"] as? String == id }
            #expect(closed.count == 1 && closed[0]["closedBy"] as? String == "ended" && closed[0]["endedAt"] is Double, "\(closed)")

            #expect(try await api.get("/v1/usage/reconciliation", token: tenancy.alice).status == 403)
            let reconciliation = try await api.get("/v1/usage/reconciliation?since=0", token: op)
            #expect(reconciliation.status == 200 && reconciliation.object["clusters"] as? [String] == [], "\(reconciliation.text)")
            #expect((reconciliation.object["note"] as? String)?.contains("accounting") == true)
        }
    }
}
