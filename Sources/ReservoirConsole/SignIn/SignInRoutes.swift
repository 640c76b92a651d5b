import Foundation
import Hummingbird
import ReservoirCore
import ReservoirServices

/// `/`, `/sign-in` and `/sign-out`: the way in and out. Signing in exchanges an API token for a session
/// cookie (`ConsoleSessionsContext`); a bad token re-renders the form with the error next to the field.
struct SignInRoutes {
    let reservoir: Reservoir
    let renderer: ConsoleRenderer

    static let page = ConsolePage(id: "sign-in", title: "Sign in", section: .overview, action: .readInventory)

    static let template = """
        {{<layout}}{{$main}}
        <p>Sign in with an API token (the one <code>reservoir serve</code> printed, or one an operator issued you).</p>
        {{> form-error}}
        <form id="sign-in-form" method="post" action="/sign-in" class="form">
        {{#fields}}{{> field}}{{/fields}}
        <button id="sign-in" type="submit">Sign in</button>
        </form>
        {{/main}}{{/layout}}
        """

    func register<Context: RequestContext>(on router: Router<Context>) {
        let reservoir = reservoir, renderer = renderer
        router.get("/") { request, _ in
            let signedIn = try? ConsoleCookies.secret(request).flatMap { try reservoir.consoleSessions.session(secret: $0) }
            return ConsoleRenderer.seeOther(signedIn == nil ? "/sign-in" : "/console")
        }
        router.get("/sign-in") { request, _ in
            if (try? ConsoleCookies.secret(request).flatMap { try reservoir.consoleSessions.session(secret: $0) }) != nil {
                return ConsoleRenderer.seeOther("/console")
            }
            let flash = ConsoleCookies.flashMessage(request)
            var response = form(error: nil, status: .ok, flash: flash)
            if flash != nil { ConsoleCookies.set(ConsoleCookies.flash, nil, on: &response, for: request) }
            return response
        }
        router.post("/sign-in") { request, _ in
            do {
                let form = try await FormBody.decode(request, fields: ["token"])
                let (secret, _) = try reservoir.consoleSessions.signIn(token: try form.required("token"))
                var response = ConsoleRenderer.seeOther("/console")
                ConsoleCookies.set(ConsoleCookies.session, secret, on: &response, for: request)
                return response
            } catch let error as ReservoirError {
                return form(error: error, status: error.httpStatus, flash: nil)
            } catch {
                reservoir.logger.error("sign-in failed", metadata: ["error": "\(error)"])
                return renderer.status(.internalServerError, title: "Something went wrong", message: "Signing in failed; it was logged.", session: nil)
            }
        }
        router.post("/sign-out") { request, _ in
            await ConsoleRoutes.answer(request, reservoir: reservoir, renderer: renderer) { session in
                let form = try await FormBody.decode(request, fields: [])
                guard ConsoleSessionsContext.csrfMatches(form.value("csrf"), session), let secret = ConsoleCookies.secret(request) else {
                    throw ReservoirError(.permissionDenied, field: "csrf", "the form's security token is missing or stale: reload the page and try again")
                }
                try reservoir.consoleSessions.signOut(secret: secret, by: session.principal)
                return .seeOther("/sign-in", flash: "Signed out.")
            }.clearingSession(for: request)
        }

        @Sendable func form(error: ReservoirError?, status: HTTPResponse.Status, flash: String?) -> Response {
            let fields = [FormField("token", label: "API token", type: "password", required: true, autocomplete: "current-password", error: error)]
            var data: [String: any Sendable] = ["fields": fields]
            data["formError"] = FormField.formError(error, shownBy: fields)
            return renderer.response(ConsoleView(page: Self.page, template: "sign-in", data: data, status: status), session: nil, flash: flash)
        }
    }
}

extension Response {
    /// After a sign-out: the browser forgets the session cookie too (only when the sign-out went through).
    fileprivate func clearingSession(for request: Request) -> Response {
        guard status == .seeOther else { return self }
        var response = self
        ConsoleCookies.set(ConsoleCookies.session, nil, on: &response, for: request)
        return response
    }
}
