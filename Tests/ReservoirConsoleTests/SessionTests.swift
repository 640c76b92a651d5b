import Foundation
import ReservoirConsole
import ReservoirCore
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// Signing in and out of the console against the real server: the session cookie, CSRF on every POST,
/// server-side sign-out, expiry on the injectable clock, a restart, and the audit trail.
@Suite struct SessionTests {
    @Test func rootSendsVisitorsToSignInAndSignedInUsersToTheOverview() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let visitor = try await ConsoleBrowser(port: port).get("/")
            #expect(visitor.status == 303 && visitor.location == "/sign-in")
            let overview = try await ConsoleBrowser(port: port).get("/console")
            #expect(overview.status == 303 && overview.location == "/sign-in")
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let root = try await user.get("/")
            #expect(root.status == 303 && root.location == "/console")
            let signIn = try await user.get("/sign-in")
            #expect(signIn.status == 303 && signIn.location == "/console")
        }
    }

    @Test func signInSetsAnHttpOnlyStrictSessionCookie() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let form = try await ConsoleBrowser(port: port).get("/sign-in")
            #expect(form.status == 200 && form.pageID == "sign-in")
            #expect(form.html.contains(#"<form id="sign-in-form" method="post" action="/sign-in""#))
            #expect(form.html.contains(#"<input id="token" name="token" type="password" value="" autocomplete="current-password" required>"#))
            #expect(form.html.contains(#"<button id="sign-in" type="submit">"#))
            let answer = try await ConsoleBrowser(port: port).post("/sign-in", [("token", tokens.operator)])
            #expect(answer.status == 303 && answer.location == "/console")
            let secret = try #require(answer.cookie("reservoir_session"))
            #expect(secret.count >= 64 && !secret.contains(tokens.operator))
            let attributes = answer.cookieAttributes("reservoir_session")
            #expect(attributes.contains("HttpOnly") && attributes.contains("SameSite=Strict") && attributes.contains("Path=/"))
            #expect(!attributes.contains("Secure"), "served over plain http")
            let overHTTPS = try await ConsoleBrowser(port: port).send(form: [("token", tokens.operator)], headers: ["X-Forwarded-Proto": "https"])
            #expect(overHTTPS.cookieAttributes("reservoir_session").contains("Secure"))
        }
    }

    @Test func aBadTokenIsShownNextToTheField() async throws {
        try await ConsoleServer.withFixture { port, _, _ in
            let answer = try await ConsoleBrowser(port: port).post("/sign-in", [("token", "not-a-token")])
            #expect(answer.status == 401)
            #expect(answer.cookie("reservoir_session") == nil)
            #expect(answer.fieldError("token") == "unknown token")
            #expect(answer.html.contains(#"aria-invalid="true" aria-describedby="error-token""#))
            let empty = try await ConsoleBrowser(port: port).post("/sign-in", [("token", "")])
            #expect(empty.status == 400 && empty.fieldError("token") == "is required")
        }
    }

    @Test func aRevokedTokensSessionEndsAndSaysWhyInTheAudit() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let alice = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            #expect(try await alice.get("/console").status == 200)
            let admin = try reservoir.access.authenticate(bearer: tokens.operator)
            let token = try #require(try reservoir.access.listTokens(user: UserID("alice"), page: PageRequest(), by: admin).items.first)
            try reservoir.access.revokeToken(token.id, by: admin)
            let after = try await alice.get("/console")
            #expect(after.status == 303 && after.location == "/sign-in")
            #expect(after.cookie("reservoir_session") == "", "the browser is told to forget the cookie")
            let ended = try reservoir.store.auditEntries(object: "users/alice", tenant: nil, since: nil, limit: 10).filter { $0.action == "console.sign-out" }
            #expect(ended.count == 1 && ended.first?.actor == "system:console" && ended.first?.after?.contains("revoked") == true)
            let again = try await ConsoleBrowser(port: port).post("/sign-in", [("token", tokens.alice)])
            #expect(again.status == 401 && again.fieldError("token")?.contains("was revoked") == true)
        }
    }

    @Test func aPostWithoutTheSessionsCSRFTokenIsRefused() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let csrf = try #require(try await user.get("/console").csrf)
            for form in [[(String, String)](), [("csrf", "forged")], [("csrf", String(csrf.dropLast()) + "0")]] where form.first?.1 != csrf {
                let refused = try await user.post("/sign-out", form)
                #expect(refused.status == 403, "\(form)")
                #expect(refused.html.contains("<h1>Not allowed</h1>"))
            }
            #expect(try await user.get("/console").status == 200, "a refused sign-out leaves the session")
            let unknownField = try await user.post("/sign-out", [("csrf", csrf), ("admin", "1")])
            #expect(unknownField.status == 400 && unknownField.html.contains("admin: is not a field of this form"), "a 4xx naming the field")
        }
    }

    @Test func signOutEndsTheSessionOnTheServer() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let csrf = try #require(try await user.get("/console").csrf)
            let out = try await user.post("/sign-out", [("csrf", csrf)])
            #expect(out.status == 303 && out.location == "/sign-in")
            #expect(out.cookie("reservoir_session") == "")
            // The flash message of post/redirect/get: shown once on the page the redirect leads to, then cleared.
            let flash = try #require(out.cookie("reservoir_flash"))
            let signIn = try await ConsoleBrowser(port: port).get("/sign-in", headers: ["Cookie": "reservoir_flash=\(flash)"])
            #expect(signIn.html.contains(#"<p class="flash" role="status">Signed out.</p>"#))
            #expect(signIn.cookie("reservoir_flash") == "")
            // The old cookie, replayed, no longer opens anything: the session is gone on the server.
            let replay = try await user.get("/console")
            #expect(replay.status == 303 && replay.location == "/sign-in")
            let actions = try reservoir.store.auditEntries(object: "users/alice", tenant: nil, since: nil, limit: 10).map { "\($0.actor) \($0.action)" }
            #expect(actions.contains("user:alice console.sign-in") && actions.contains("user:alice console.sign-out"))
        }
    }

    @Test func aSessionSurvivesARestartOnTheSameDataDirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("reservoir.sqlite").path
        let (first, tokens) = try ConsoleServer.makeReservoir(store: try SQLiteStore(path: path))
        let alice = try #require(tokens).alice
        let session = try await ConsoleServer.with(first) { port in try #require(try await ConsoleBrowser.signedIn(port: port, token: alice).session) }
        let (second, reseeded) = try ConsoleServer.makeReservoir(store: try SQLiteStore(path: path))
        #expect(reseeded == nil, "the second start finds the first one's data")
        try await ConsoleServer.with(second) { port in
            let page = try await ConsoleBrowser(port: port, session: session).get("/console")
            #expect(page.status == 200 && page.pageID == "overview")
            #expect(page.html.contains(#"<span class="user">alice</span>"#))
        }
    }

    @Test func aSessionLapsesWhenIdleAndAtItsAbsoluteLimit() async throws {
        let clock = ManualClock()
        try await ConsoleServer.withFixture(clock: clock) { port, tokens, reservoir in
            let limits = reservoir.runtime.configuration.consoleSessions
            let idle = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            clock.advance(limits.idleSeconds - 60)
            #expect(try await idle.get("/console").status == 200, "still within the idle limit")
            clock.advance(limits.idleSeconds)
            let lapsed = try await idle.get("/console")
            #expect(lapsed.status == 303 && lapsed.location == "/sign-in")

            let busy = try await ConsoleBrowser.signedIn(port: port, token: tokens.bob)
            var elapsed = 0.0
            while elapsed + limits.idleSeconds / 2 < limits.absoluteSeconds {
                clock.advance(limits.idleSeconds / 2)
                elapsed += limits.idleSeconds / 2
                #expect(try await busy.get("/console").status == 200, "in use after \(elapsed) s")
            }
            clock.advance(limits.idleSeconds / 2)
            let expired = try await busy.get("/console")
            #expect(expired.status == 303 && expired.location == "/sign-in", "past the absolute limit however busy")
            let reasons = try reservoir.store.auditEntries(object: nil, tenant: nil, since: nil, limit: 50)
                .filter { $0.action == "console.sign-out" }.compactMap(\.after)
            #expect(reasons.contains { $0.contains("idle for") } && reasons.contains { $0.contains("older than") })
        }
    }
}
