import Foundation
import ReservoirConsole
import ReservoirCore
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// What the console does with requests its own pages never send: HEAD, and a run of bad tokens.
@Suite struct HardeningTests {
    @Test func headAnswersLikeGetWithoutTheBody() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            for path in ["/console", "/console/no-such-page", "/console/assets/console.css", "/console/assets/none.js", "/sign-in", "/"] {
                let get = try await user.get(path), head = try await user.head(path)
                #expect(head.status == get.status, "\(path)")
                #expect(head.html.isEmpty, "\(path)")
                for header in ["content-type", "location", "content-security-policy", "cache-control", "etag"] {
                    #expect(head.headers[header] == get.headers[header], "\(path): \(header)")
                }
            }
            let css = try await user.get("/console/assets/console.css")
            #expect(try await user.head("/console/assets/console.css").headers["content-length"] == String(css.html.utf8.count))
            let visitor = try await ConsoleBrowser(port: port).head("/console")
            #expect(visitor.status == 303 && visitor.location == "/sign-in", "signed out, as for GET")
        }
    }

    /// Five bad tokens within a minute from one address, and the sixth attempt — even with a good token — is a
    /// 429 with Retry-After until the first failure is a minute old; the moment the limit is reached is audited.
    @Test func failedSignInsAreThrottledPerAddressOnTheClock() async throws {
        let clock = ManualClock()
        try await ConsoleServer.withFixture(clock: clock) { port, tokens, reservoir in
            let browser = ConsoleBrowser(port: port)
            for attempt in 1...5 {
                let refused = try await browser.post("/sign-in", [("token", "rsv_guess_\(attempt)")])
                #expect(refused.status == 401 && refused.fieldError("token") == "unknown token", "attempt \(attempt)")
                clock.advance(5)
            }
            let throttled = try await browser.post("/sign-in", [("token", tokens.operator)])
            #expect(throttled.status == 429 && throttled.headers["retry-after"] == "35")
            #expect(throttled.fieldError("token") == "too many failed sign-ins from this address: try again in 35 s")
            #expect(throttled.pageID == "sign-in" && throttled.cookie("reservoir_session") == nil)
            clock.advance(30)
            #expect(try await browser.post("/sign-in", [("token", tokens.operator)]).headers["retry-after"] == "5")
            clock.advance(5)
            let through = try await browser.post("/sign-in", [("token", tokens.operator)])
            #expect(through.status == 303 && through.location == "/console", "the first failure is a minute old")
            let events = try reservoir.store.auditEntries(object: "security/POST /sign-in", tenant: nil, since: nil, limit: 10)
            #expect(events.count == 1 && events.first?.action == "security.denied" && events.first?.actor == "anonymous")
            #expect(events.first?.after?.contains("429") == true && events.first?.after?.contains("5 failed sign-ins from 127.0.0.1") == true)
        }
    }

    @Test func aGoodSignInClearsTheAddressesFailures() async throws {
        try await ConsoleServer.withFixture(clock: ManualClock()) { port, tokens, _ in
            let browser = ConsoleBrowser(port: port)
            for round in 1...2 {
                for attempt in 1...4 {
                    let refused = try await browser.post("/sign-in", [("token", "rsv_guess_\(round)_\(attempt)")])
                    #expect(refused.status == 401)
                }
                let signedIn = try await browser.post("/sign-in", [("token", tokens.alice)])
                #expect(signedIn.status == 303, "round \(round): four failures, then in")
            }
        }
    }
}
