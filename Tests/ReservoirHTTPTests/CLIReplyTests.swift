import Foundation
import Hummingbird
import HummingbirdTesting
@testable import ReservoirCLI
import ReservoirCore
import ReservoirForecasting
@testable import ReservoirHTTP
@testable import ReservoirServices
import Testing

/// The CLI reads every reply through the type the server encodes: each reply type survives the
/// server's encoder and the CLI's decoder unchanged, every command that reads a reply prints it
/// from a live server, and a reply of another shape is one clear line and exit status 1.
@Suite("CLI replies")
struct CLIReplyTests {
    static let admin = Principal(user: User(id: "admin", roles: [.operator_]))

    /// Encodes `value` as the server does, decodes it as the CLI does, and expects the same bytes back: no field lost or changed.
    func roundTrip<T: Codable>(_ value: T, _ request: String) throws {
        let sent = try Coding.encoder.encode(value)
        let read = try ServerReply(request: request, data: sent, headers: [:]).decode(T.self)
        #expect(try Coding.encoder.encode(read) == sent, "\(request): \(T.self) changed on the way through the CLI")
    }

    @Test("every reply type the CLI reads decodes from the server's encoding without loss")
    func replyTypesRoundTrip() async throws {
        let (reservoir, _) = try DemoTests.shortPlanningDemo()
        let p = Self.admin
        let submission = try JSONDecoder().decode(JobSubmission.self, from: Data("""
            {"name": "rt", "tenant": "nlp", "pool": "bj-training", "runtimeSeconds": 600, "request": {"gpus": 2}}
            """.utf8))
        let job = try reservoir.jobs.submit(submission, by: p)
        _ = try await reservoir.scheduling.runSchedulingCycle()

        let inventory = try reservoir.inventory.inventory(by: p)
        try roundTrip(inventory.regions, "GET /v1/regions")
        try roundTrip(inventory.clusters, "GET /v1/clusters")
        try roundTrip(try reservoir.inventory.poolViews(by: p), "GET /v1/pools")
        let nodes = try reservoir.inventory.nodeViews(by: p)
        try roundTrip(nodes, "GET /v1/nodes")
        try roundTrip(nodes.flatMap(\.devices), "GET /v1/devices")
        try roundTrip(try reservoir.inventory.catalog(by: p).models, "GET /v1/catalog")
        try roundTrip(ImportSummary(regions: 1, clusters: 1, pools: 2, nodes: 3, devices: 10), "POST /v1/import")

        try roundTrip(try reservoir.tenancy.listTenants(page: PageRequest(), by: p).items, "GET /v1/tenants")
        try roundTrip(try reservoir.tenancy.setTenantDisabled("vision", true, by: p), "PATCH /v1/tenants/{id}")
        try roundTrip(try reservoir.tenancy.listUsers(tenant: nil, page: PageRequest(), by: p).items, "GET /v1/users")
        try roundTrip(try reservoir.access.listTokens(user: nil, page: PageRequest(), by: p).items, "GET /v1/tokens")
        try roundTrip(IssuedToken(id: "tok-1", user: "admin", token: "rsv_secret", expiresAt: 1_796_083_200), "POST /v1/tokens")
        try roundTrip(try reservoir.tenancy.quotasWithUsage(tenant: nil, pool: nil, page: PageRequest(), by: p).items.map { QuotaView($0.quota, usedMilli: $0.usedMilli) }, "GET /v1/quotas")
        try roundTrip(try reservoir.audit.auditLog(object: nil, limit: 20, by: p), "GET /v1/audit")
        try roundTrip(try reservoir.metering.usage(since: 0, until: nil, by: p), "GET /v1/usage")
        let day = UtilizationQuery(scope: .pool("bj-testing"), since: reservoir.now() - 86_400, until: reservoir.now(), resolution: .hour)
        try roundTrip(try reservoir.telemetry.utilization(day, by: p), "GET /v1/utilization")
        try roundTrip(TelemetryIngestReceipt(received: 3, accepted: 2, duplicates: 1), "POST /v1/telemetry/samples")

        try roundTrip(try reservoir.jobs.listJobs(JobListFilter(), page: PageRequest(limit: 50), by: p).items, "GET /v1/jobs")
        try roundTrip(try reservoir.jobs.job(job.id, by: p), "GET /v1/jobs/{id}")
        try roundTrip(try reservoir.jobs.explain(job.id, by: p), "GET /v1/jobs/{id}/explain")
        try roundTrip(try reservoir.jobs.jobEvents(job.id, page: PageRequest(), by: p).items, "GET /v1/jobs/{id}/events")
        try roundTrip(try await reservoir.jobs.jobLogs(job.id, from: 0, limit: nil, by: p), "GET /v1/jobs/{id}/logs")
        try roundTrip(CancelledJobs(cancelled: ["job-000001", "job-000002"]), "POST /v1/jobs/cancel")

        let now = Date().timeIntervalSince1970
        try roundTrip(try reservoir.planning.demandSeries(pool: nil, model: nil, region: nil, from: now - 86_400, to: now, daily: false, by: p), "GET /v1/series/demand")
        try roundTrip(
            try reservoir.planning.whatIfRequest(CapacityRequest(region: "cn-north", model: "H100-80GB", gpus: 64, priorityRank: 2, durationHours: 48), by: p),
            "POST /v1/plans/whatif")

        // Plans from the pure planners (the live plan forecasts every model: minutes in a debug build).
        let demand = CapacityDemand(
            model: "A100-80GB", installed: 8, forecast: Forecast(mean: (0..<48).map { 4 + Double($0) / 4 }, standardDeviation: Array(repeating: 1, count: 48)))
        let supply = SupplyTerms(purchaseLeadHours: 720, purchasePricePerGPU: 30_000, rentLeadHours: 24, rentPricePerGPUHour: 3)
        let years = try MultiYearPlanner.plan(MultiYearPlanInput(model: "A100-80GB", installed: 8, currentDemand: 6, annualGrowth: 0.5, purchasePricePerGPU: 30_000))
        try roundTrip(
            CapacityPlanReport(
                generatedAt: now, policy: CapacityPolicy(), historyHours: 192, horizonHours: 48,
                recommendations: try CapacityPlanner.plan([demand], supply: ["A100-80GB": supply], policy: CapacityPolicy()),
                multiYear: ["A100-80GB": years], skipped: ["T4": "only 3 of the 168 hours needed"],
                events: ["A100-80GB": [BusinessEventRecord(
                    id: "ev-1", name: "11.11", kind: .promotion, start: now, end: now + 86_400, uplift: 0.5, extraGPUs: nil, pools: [], models: ["A100-80GB"],
                    note: nil, createdAt: now, createdBy: "user:admin")]]),
            "POST /v1/plans/capacity")
        try roundTrip(try WhatIfPlanner.surge(demand, factor: 2, window: 0..<24, supply: supply, policy: CapacityPolicy()), "POST /v1/plans/whatif")
    }

    @Test("a reply of another shape names the request and the field")
    func shapeMismatch() throws {
        func reason(_ body: String, as type: (some Decodable).Type) -> String {
            do {
                _ = try ServerReply(request: "GET /v1/jobs", data: Data(body.utf8), headers: [:]).decode(type)
                return "decoded"
            } catch {
                return error.description
            }
        }
        let prefix = "the server's reply to GET /v1/jobs did not match the expected shape: "
        #expect(reason(#"[{"id": 7}]"#, as: [Job].self) == prefix + "[0].id: wrong type: expected a string")
        #expect(reason(#"[{"id": "job-000001"}]"#, as: [Job].self) == prefix + "[0].name: is required")
        #expect(reason(#"{"jobs": []}"#, as: [Job].self) == prefix + "body: wrong type: expected a list")
        #expect(reason("<html>bad gateway</html>", as: [Job].self).hasPrefix(prefix + "body: malformed document: "))
    }

    @Test("a server that answers in another shape: one line `reservoir: the server's reply to GET /v1/jobs …`, exit status 1")
    func shapeMismatchExits() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-cli-shape")
        defer { try? FileManager.default.removeItem(at: dir) }
        let router = Router()
        router.get("/v1/jobs") { _, _ in #"{"jobs": []}"# }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let server = "http://127.0.0.1:\(try #require(client.port))"
            let table = try await runCLI(["jobs"], server: server, token: "t", directory: dir)
            #expect(table.status == 1)
            #expect(table.stderr == "reservoir: the server's reply to GET /v1/jobs did not match the expected shape: body: wrong type: expected a list\n", "\(table.stderr)")
            let json = try await runCLI(["jobs", "--json"], server: server, token: "t", directory: dir)
            #expect(json.status == 0 && json.stdout == "{\"jobs\": []}\n", "--json prints the reply as sent: \(json.stdout)\(json.stderr)")
        }
    }

    @Test("every command that reads a reply prints it: inventory, tenancy, jobs, usage, series, what-if")
    func everyCommandReadsItsReply() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let (reservoir, logins) = try DemoTests.shortPlanningDemo()
        let member = try #require(logins.first { $0.user == "nlp-member" }?.token)
        let dir = try Executable.temporaryDirectory("reservoir-cli-replies")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cluster = dir.appendingPathComponent("cluster.yaml")
        try Fixture.inventoryYAML.write(to: cluster, atomically: true, encoding: .utf8)
        let example = Executable.packageRoot.appendingPathComponent("examples/job.yaml").path

        try await InProcessServer.with(reservoir) { api, _ in
            let node = try #require(try await api.get("/v1/nodes", token: Fixture.operatorToken).array.first?["id"] as? String)
            func cli(_ args: [String], token: String = Fixture.operatorToken) async throws {
                let run = try await runCLI(args, server: api.base, token: token, directory: dir)
                #expect(run.status == 0 && run.stderr.isEmpty && !run.stdout.isEmpty, "\(args.joined(separator: " ")): \(run.stderr)\(run.stdout)")
            }
            for args in [
                ["regions"], ["clusters"], ["pools"], ["nodes"], ["devices", "--pool", "bj-testing"], ["catalog"],
                ["tenants"], ["users"], ["tokens"], ["quota"], ["audit", "--limit", "5"], ["usage", "--since", "30d"], ["series", "--since", "1d"],
                ["usage", "util", "--pool", "bj-testing", "--since", "2d"], ["usage", "util", "--json"],
                ["plan", "whatif", "--model", "H100-80GB", "--gpus", "64", "--region", "cn-north"], ["plan", "whatif", "--model", "T4", "--surge", "2", "--hours", "12"],
                ["tenants", "create", "t-new"], ["tenants", "disable", "t-new"], ["users", "create", "u-new", "--tenant", "t-new"],
                ["users", "enable", "u-new"], ["tokens", "create", "--user", "u-new", "--expires-in", "1d"],
                ["quota", "set", "--tenant", "t-new", "--pool", "bj-testing", "--guaranteed", "1", "--limit", "2"],
                ["nodes", "set-state", node, "cordoned"], ["import", cluster.path],
            ] { try await cli(args) }

            try await cli(["submit", example], token: member)
            let id = try #require(try await api.get("/v1/jobs?limit=1", token: member).array.first?["id"] as? String)
            for args in [["jobs"], ["job", "show", id], ["job", "explain", id], ["job", "events", id], ["job", "priority", id, "P3"], ["job", "cancel", id]] {
                try await cli(args, token: member)
            }
            let logs = try await runCLI(["job", "logs", id], server: api.base, token: member, directory: dir)
            #expect(logs.status == 0 && logs.stderr.isEmpty, "\(logs.stderr)")
            try await cli(["jobs", "cancel", "--tenant", "nlp"])
        }
    }
}
