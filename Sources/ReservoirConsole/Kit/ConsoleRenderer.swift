import Foundation
import Hummingbird
import Mustache
import ReservoirCore
import ReservoirServices

/// Renders pages into the layout and answers with the console's headers. One `MustacheLibrary` holds the
/// layout, the partials and every page group's templates (Swift string literals: a moved binary still works).
struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary
    let pages: [ConsolePage]
    let policy: AccessPolicy

    /// The Content-Security-Policy of every console answer: nothing inline, nothing from elsewhere.
    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"

    init(groups: [any ConsolePageGroup], policy: AccessPolicy, extraTemplates: [String: String] = [:]) {
        var library = MustacheLibrary()
        let sources = groups.map(\.templates).reduce(Layout.templates.merging(extraTemplates) { a, _ in a }) { $0.merging($1) { a, _ in a } }
        for (name, source) in sources {
            do {
                try library.register(source, named: name)
            } catch {
                // The templates are literals of this module: a broken one is a bug that every console test shows at once.
                preconditionFailure("console template \(name) does not parse: \(error)")
            }
        }
        self.library = library
        self.pages = groups.flatMap(\.pages)
        self.policy = policy
    }

    /// The nav for `principal`: each section whose entry page it may open, in section order.
    func nav(for principal: Principal, current: NavSection?) -> [[String: any Sendable]] {
        NavSection.allCases.compactMap { section in
            guard let entry = pages.first(where: { $0.section == section && $0.navPath != nil && $0.isVisible(to: principal, policy: policy) }),
                  let path = entry.navPath
            else { return nil }
            return ["title": section.title, "path": path, "current": section == current]
        }
    }

    /// The page's HTML: its template with `data` plus the layout's keys.
    func html(_ view: ConsoleView, session: SignedIn?, flash: String?) -> String {
        var data = view.data
        data["title"] = data["title"] ?? view.page.title
        data["pageID"] = view.page.id
        if let session {
            data["signedIn"] = true
            data["user"] = session.principal.user.id.rawValue
            data["role"] = Self.roles(session.principal)
            data["nav"] = nav(for: session.principal, current: view.page.section)
            data["csrf"] = session.csrf
        }
        if let flash { data["flash"] = flash }
        return library.render(data, withTemplate: view.template) ?? "template \(view.template) is not registered"
    }

    /// A page answer: HTML, never cached, with the console's security headers.
    func response(_ view: ConsoleView, session: SignedIn?, flash: String?) -> Response {
        var response = Response(
            status: view.status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html(view, session: session, flash: flash))))
        Self.secure(&response.headers, cache: "no-store")
        return response
    }

    /// A status page (403, 404, 4xx with the service's message).
    func status(_ status: HTTPResponse.Status, title: String, message: String, session: SignedIn?) -> Response {
        let page = ConsolePage(id: "status-\(status.code)", title: title, section: .overview, action: .readInventory)
        return response(ConsoleView(page: page, template: "status", data: ["message": message], status: status), session: session, flash: nil)
    }

    /// The status page for a use case's refusal: its code decides the status, its message (after the field it names) is shown.
    func failure(_ error: ReservoirError, session: SignedIn?) -> Response {
        let message = error.field.map { "\($0): \(error.message)" } ?? error.message
        switch error.code {
        case .permissionDenied: return status(.forbidden, title: "Not allowed", message: message, session: session)
        case .notFound: return status(.notFound, title: "Not found", message: message, session: session)
        case .unavailable: return status(.serviceUnavailable, title: "Unavailable", message: message, session: session)
        default: return status(error.httpStatus, title: "Cannot do that", message: message, session: session)
        }
    }

    /// A redirect (303 See Other: the browser follows with a GET).
    static func seeOther(_ location: String) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        secure(&response.headers, cache: "no-store")
        return response
    }

    static func secure(_ headers: inout HTTPFields, cache: String) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.init("Referrer-Policy")!] = "same-origin"
        headers[.init("X-Frame-Options")!] = "DENY"
        headers[.cacheControl] = cache
    }

    static func roles(_ principal: Principal) -> String {
        principal.user.roles.map(\.rawValue).sorted().joined(separator: ", ")
    }
}

extension ReservoirError {
    /// The HTTP status of a refusal: one mapping for the console's pages and the API's JSON errors, so both answer alike.
    public var httpStatus: HTTPResponse.Status {
        switch code {
        case .invalidArgument: .badRequest
        case .notFound: .notFound
        case .alreadyExists, .conflict: .conflict
        case .unauthenticated: .unauthorized
        case .permissionDenied: .forbidden
        case .unsatisfiable: .unprocessableContent
        default: .serviceUnavailable
        }
    }
}
