import Foundation
import ReservoirConsole
import ReservoirCore
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// `/console` for an operator and for a tenant member, and what every page of the console carries.
@Suite struct OverviewTests {
    @Test func anOperatorSeesTheWholeReservoirWithAlertsAndTheQueue() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let alice = try reservoir.access.authenticate(bearer: tokens.alice)
            let waiting = try await Self.queueBehindAFullPool(reservoir, alice)
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let page = try await user.get("/console")
            #expect(page.status == 200 && page.pageID == "overview")
            #expect(page.html.contains(#"<span class="user">admin</span> <span class="role">operator</span>"#))
            #expect(page.html.contains(#"<main id="content" data-refresh="30">"#))
            #expect(page.html.contains("The whole reservoir."))
            // Water level: region r1, pool p1, A100-80GB, 8 GPUs, with its bar.
            #expect(page.html.contains(#"<tr><th scope="row">r1</th><td>p1</td><td>A100-80GB</td><td class="num">8</td>"#))
            #expect(page.html.contains(#"<svg class="bar""#))
            #expect(page.html.contains(#"<div class="figure">8</div><div class="label">GPUs in total</div>"#))
            #expect(page.html.contains("Firing alerts"), "operators may read alerts")
            #expect(page.html.contains(#"<tr><th scope="row">p1</th><td class="num">1</td><td class="num">4</td>"#), "the queue: \(waiting.id)")
            #expect(page.html.contains(#"<svg class="chart""#) && page.html.contains("over the last week"))
        }
    }

    /// Fills pool p1 with a long job of all 8 GPUs, waits until it runs, then submits a 4-GPU job that must wait.
    static func queueBehindAFullPool(_ reservoir: Reservoir, _ principal: Principal) async throws -> Job {
        func submission(_ name: String, replicas: Int) throws -> JobSubmission {
            try JSONDecoder().decode(JobSubmission.self, from: Data(#"""
                {"name": "\#(name)", "pool": "p1", "replicas": \#(replicas), "runtimeSeconds": 30000000, "request": {"gpus": 4}}
                """#.utf8))
        }
        let big = try reservoir.jobs.submit(try submission("fills-the-pool", replicas: 2), by: principal)
        let deadline = Date().addingTimeInterval(20)
        while try reservoir.jobs.job(big.id, by: principal).state != .running {
            try #require(Date() < deadline, "the pool-filling job did not start")
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return try reservoir.jobs.submit(try submission("waits", replicas: 1), by: principal)
    }

    /// "Utilization now" is the latest complete measurement: the partly filled minute (and hour) under way is not it.
    @Test func utilizationNowIsTheLatestCompleteMeasurement() async throws {
        let minute = 1_700_000_040.0  // 2023-11-14 22:14 UTC, a minute's start
        let clock = ManualClock(minute + 30)
        try await ConsoleServer.withFixture(clock: clock) { port, tokens, reservoir in
            let devices = try reservoir.store.inventory().nodes.flatMap(\.devices)
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            func card(_ percent: String, _ label: String) -> String {
                #"<div class="figure">\#(percent)</div><div class="label">GPU utilization now (the \#(label))</div>"#
            }
            // Nothing in the last minutes, but an hour that ended 14 minutes ago: its mean.
            _ = try reservoir.telemetry.record(devices.map { DeviceSample(device: $0.id, at: minute - 3_000, gpuUtilPercent: 30, memoryUsedMiB: 1) })
            let hourly = try await user.get("/console")
            #expect(hourly.html.contains(card("30.0 %", "hour to 2023-11-14 22:00 UTC")), "\(hourly.html)")
            // A complete minute (every GPU at 50 %) and the minute under way, where one GPU has reported 0 %.
            _ = try reservoir.telemetry.record(devices.map { DeviceSample(device: $0.id, at: minute - 55, gpuUtilPercent: 50, memoryUsedMiB: 1) })
            _ = try reservoir.telemetry.record([DeviceSample(device: devices[0].id, at: minute + 10, gpuUtilPercent: 0, memoryUsedMiB: 1)])
            let page = try await user.get("/console")
            #expect(page.html.contains(card("50.0 %", "minute to 2023-11-14 22:14 UTC")), "\(page.html)")
        }
    }

    @Test func aMemberSeesItsTenantsViewWithoutAlerts() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let bob = try reservoir.access.authenticate(bearer: tokens.bob)
            _ = try await Self.queueBehindAFullPool(reservoir, bob)
            let alice = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let page = try await alice.get("/console")
            #expect(page.status == 200 && page.pageID == "overview")
            #expect(page.html.contains(#"<span class="user">alice</span> <span class="role">member</span>"#))
            #expect(page.html.contains("tenant alpha"))
            #expect(!page.html.contains("Firing alerts"), "members may not read alerts (the access policy)")
            #expect(page.html.contains("No job is waiting."), "beta's queued job is not alpha's to see")
            #expect(page.html.contains(#"<td>p1</td><td>A100-80GB</td>"#), "the water level is shared, as /v1/water-level gives it to members")
        }
    }

    @Test func anApproverOfNoTenantSeesTheWaterLevelAndPoolsWithoutUtilizationOrQueue() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let admin = try reservoir.access.authenticate(bearer: ConsoleServer.operatorToken)
            _ = try reservoir.tenancy.createUser(User(id: "hq", roles: [.approver]), by: admin)
            let secret = try reservoir.access.issueToken(for: UserID("hq"), by: admin).1
            let hq = try await ConsoleBrowser.signedIn(port: port, token: secret)
            let page = try await hq.get("/console")
            #expect(page.status == 200 && page.pageID == "overview", "the landing page opens for every role")
            #expect(page.html.contains(#"<td>p1</td><td>A100-80GB</td>"#))
            #expect(!page.html.contains(#"id="util-heading""#) && !page.html.contains(#"id="queue-heading""#),
                "an approver of no tenant has no tenant's utilization or queue to see")
            #expect(!page.html.contains(#"href="/console/jobs""#), "nor a jobs list in the nav")
            let pool = try await hq.get("/console/pools/p1")
            #expect(pool.status == 200 && pool.html.contains("/console/nodes/"), "the heat map opens, without naming anyone's work")
        }
    }

    @Test func everyPageCarriesTheLayoutAndTheSecurityHeaders() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let page = try await user.get("/console")
            #expect(page.headers["content-security-policy"] == "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'")
            #expect(page.headers["cache-control"] == "no-store")
            for part in [
                #"<html lang="en">"#, #"<meta name="viewport" content="width=device-width, initial-scale=1">"#,
                ##"<a class="skip-link" href="#content">"##, #"<nav aria-label="Console""#, #"<a href="/console" aria-current="page">Overview</a>"#,
                #"<form method="post" action="/sign-out""#, "<title>Overview · Reservoir</title>",
                // No favicon request: a 404 for it would be an error in the browser's console.
                #"<link rel="icon" href="data:,">"#,
            ] {
                #expect(page.html.contains(part), "\(part)")
            }
            #expect(page.html.components(separatedBy: "<h1>").count == 2, "one h1")
            #expect(!page.html.contains("style=") && !page.html.contains("<script>"), "nothing inline: the CSP would block it")
        }
    }

    @Test func anUnknownConsolePathIsAnHTMLNotFoundPage() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let page = try await user.get("/console/no-such-page")
            #expect(page.status == 404 && page.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(page.html.contains("<h1>Not found</h1>") && page.html.contains("/console/no-such-page"))
        }
    }

    @Test func assetsAreServedWithAStrongETag() async throws {
        try await ConsoleServer.withFixture { port, _, _ in
            let browser = ConsoleBrowser(port: port)
            for (name, type) in [("console.css", "text/css"), ("console.js", "text/javascript")] {
                let asset = try await browser.get("/console/assets/\(name)")
                #expect(asset.status == 200 && asset.headers["content-type"]?.hasPrefix(type) == true)
                let etag = try #require(asset.headers["etag"])
                #expect(etag.hasPrefix("\"") && !etag.hasPrefix("W/"))
                #expect(try await browser.get("/console/assets/\(name)", headers: ["If-None-Match": etag]).status == 304)
            }
            #expect(try await browser.get("/console/assets/other.js").status == 404)
        }
    }
}
