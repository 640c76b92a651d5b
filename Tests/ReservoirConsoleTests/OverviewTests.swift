import Foundation
import ReservoirConsole
import ReservoirCore
import ReservoirServices
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
