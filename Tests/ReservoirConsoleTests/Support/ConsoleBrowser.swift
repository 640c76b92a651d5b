import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// One answer of the console: status, headers (lower-case names; repeated ones joined by ", "), every
/// `Set-Cookie` on its own, and the HTML.
struct Page: Sendable {
    var status: Int
    var headers: [String: String]
    var setCookies: [String]
    var html: String

    var location: String? { headers["location"] }
    /// The `content` of `<meta name="reservoir-page">`: which page this is.
    var pageID: String? { html.firstMatch(of: /<meta name="reservoir-page" content="([^"]*)">/).map { String($0.1) } }
    /// The session's CSRF token, from the sign-out form every signed-in page has.
    var csrf: String? { html.firstMatch(of: /name="csrf" value="([^"]*)"/).map { String($0.1) } }
    /// The text of `<p class="field-error" id="error-FIELD">` right after the field, if shown.
    func fieldError(_ field: String) -> String? {
        html.firstMatch(of: try! Regex(#"<p class="field-error" id="error-\#(field)">([^<]*)</p>"#)).map { String($0.output[1].substring ?? "") }
    }
}

/// A browser for tests: keeps the session cookie like a real one (SameSite does not matter on one origin),
/// never follows redirects (the tests look at each 303), and sends forms form-encoded.
struct ConsoleBrowser: Sendable {
    let base: String
    var session: String?

    /// A client that does not follow redirects; one for the whole test run (never shut down, so never deinitialised).
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    init(port: Int, session: String? = nil) {
        base = "http://127.0.0.1:\(port)"
        self.session = session
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Page {
        try await send(.GET, path, body: nil, headers: headers)
    }

    /// POSTs `form` (form-encoded, in the given order).
    func post(_ path: String, _ form: [(String, String)]) async throws -> Page {
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.POST, path, body: body, headers: ["Content-Type": "application/x-www-form-urlencoded"])
    }

    /// POSTs a sign-in form with extra request headers (e.g. what a TLS-terminating proxy adds).
    func send(form: [(String, String)], headers: [String: String]) async throws -> Page {
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.POST, "/sign-in", body: body, headers: headers.merging(["Content-Type": "application/x-www-form-urlencoded"]) { a, _ in a })
    }

    /// Signs in with `token` and keeps the session cookie; fails the test when sign-in does not answer 303 to the overview.
    mutating func signIn(_ token: String) async throws {
        let answer = try await post("/sign-in", [("token", token)])
        try #require(answer.status == 303 && answer.location == "/console", "sign-in: \(answer.status) \(answer.html)")
        session = try #require(answer.cookie("reservoir_session"), "no session cookie in \(answer.setCookies)")
    }

    /// A browser signed in with `token` on the server at `port`.
    static func signedIn(port: Int, token: String) async throws -> ConsoleBrowser {
        var browser = ConsoleBrowser(port: port)
        try await browser.signIn(token)
        return browser
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?, headers: [String: String]) async throws -> Page {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let session { request.headers.add(name: "Cookie", value: "reservoir_session=\(session)") }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await Self.client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let joined = Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { "\($0), \($1)" })
        return Page(
            status: Int(response.status.code), headers: joined, setCookies: response.headers["Set-Cookie"], html: String(buffer: bytes))
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

extension Page {
    /// The value a `Set-Cookie` of this answer gives `name` (nil when it sets none; "" when it clears it).
    func cookie(_ name: String) -> String? {
        setCookies.first { $0.hasPrefix("\(name)=") }.map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
    }

    /// The attributes of the `Set-Cookie` for `name`, e.g. `["Path=/", "HttpOnly", "SameSite=Strict"]`.
    func cookieAttributes(_ name: String) -> [String] {
        guard let line = setCookies.first(where: { $0.hasPrefix("\(name)=") }) else { return [] }
        return line.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
