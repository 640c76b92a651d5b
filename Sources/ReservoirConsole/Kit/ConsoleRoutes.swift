import Foundation
import Hummingbird
import ReservoirCore
import ReservoirServices

/// Where page groups register their routes: `routes.get(path, page) { request in … }` for a page,
/// `routes.post(path, page, fields: [...]) { request in … }` for a form. Every route gets the same shell:
/// no session → 303 to `/sign-in`; a role the page's action does not allow → the 403 page; a POST without the
/// session's CSRF token → 403; a `ReservoirError` thrown by the handler → its status page (403, 404, 4xx with
/// the message); anything else → a logged 500 page. Handlers only call use cases and build views.
public struct ConsoleRoutes {
    public typealias Handler = @Sendable (ConsoleRequest) async throws -> ConsoleReply
    typealias Add = (HTTPRequest.Method, String, @escaping @Sendable (Request, Parameters) async -> Response) -> Void

    let add: Add
    let reservoir: Reservoir
    let renderer: ConsoleRenderer

    /// A page (GET).
    public func get(_ path: String, _ page: ConsolePage, _ handler: @escaping Handler) {
        route(.get, path, page, fields: nil, handler)
    }

    /// A form's action (POST, form-encoded, CSRF-checked); `fields` are the form's inputs besides `csrf`.
    /// Answer with `.seeOther` on success, or re-render the form with a 4xx status and the errors.
    public func post(_ path: String, _ page: ConsolePage, fields: Set<String>, _ handler: @escaping Handler) {
        route(.post, path, page, fields: fields, handler)
    }

    private func route(_ method: HTTPRequest.Method, _ path: String, _ page: ConsolePage, fields: Set<String>?, _ handler: @escaping Handler) {
        let reservoir = reservoir, renderer = renderer
        add(method, path) { request, parameters in
            await Self.answer(request, reservoir: reservoir, renderer: renderer) { session in
                guard page.isVisible(to: session.principal, policy: renderer.policy) else {
                    throw ReservoirError(.permissionDenied, "\(Self.roleText(session)) may not open \(page.title.lowercased())")
                }
                var form = FormBody.empty
                if let fields {
                    form = try await FormBody.decode(request, fields: fields)
                    guard ConsoleSessionsContext.csrfMatches(form.value("csrf"), session) else {
                        throw ReservoirError(.permissionDenied, field: "csrf", "the form's security token is missing or stale: reload the page and try again")
                    }
                }
                return try await handler(ConsoleRequest(reservoir: reservoir, session: session, request: request, parameters: parameters, form: form))
            }
        }
    }

    /// Resolves the session, runs `body`, and turns its reply or error into a response.
    static func answer(
        _ request: Request, reservoir: Reservoir, renderer: ConsoleRenderer, signedOut: Response = ConsoleRenderer.seeOther("/sign-in"),
        _ body: (SignedIn) async throws -> ConsoleReply
    ) async -> Response {
        var session: SignedIn?
        do {
            guard let secret = ConsoleCookies.secret(request), let found = try reservoir.consoleSessions.session(secret: secret) else {
                var response = signedOut
                if ConsoleCookies.secret(request) != nil { ConsoleCookies.set(ConsoleCookies.session, nil, on: &response, for: request) }
                return response
            }
            session = found
            let flash = ConsoleCookies.flashMessage(request)
            var response = try await render(try await body(found), session: found, flash: flash, renderer: renderer, request: request)
            if flash != nil, response.status != .seeOther { ConsoleCookies.set(ConsoleCookies.flash, nil, on: &response, for: request) }
            return response
        } catch let error as ReservoirError {
            return renderer.failure(error, session: session)
        } catch {
            reservoir.logger.error("console page failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return renderer.status(.internalServerError, title: "Something went wrong", message: "The server could not show this page; it was logged.", session: session)
        }
    }

    static func render(_ reply: ConsoleReply, session: SignedIn, flash: String?, renderer: ConsoleRenderer, request: Request) async throws -> Response {
        switch reply {
        case .page(let view):
            return renderer.response(view, session: session, flash: flash)
        case .redirect(let location, let message):
            var response = ConsoleRenderer.seeOther(location)
            if let message { ConsoleCookies.set(ConsoleCookies.flash, ConsoleCookies.encodeFlash(message), on: &response, for: request) }
            return response
        case .download(let filename, let contentType, let body):
            var response = Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
            response.headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
            ConsoleRenderer.secure(&response.headers, cache: "no-store")
            return response
        }
    }

    static func roleText(_ session: SignedIn) -> String {
        "\(session.principal.user.id) (\(ConsoleRenderer.roles(session.principal)))"
    }
}
