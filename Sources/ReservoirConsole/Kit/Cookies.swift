import Foundation
import Hummingbird

/// The console's two cookies. `reservoir_session` holds the session's secret (the server keeps only its
/// hash); `reservoir_flash` carries a post/redirect/get message to the next page, once. Both HttpOnly,
/// SameSite=Strict (no other site's page can send them), Path=/, and Secure when the console is served
/// over https (directly or behind a proxy that says so in `X-Forwarded-Proto`).
enum ConsoleCookies {
    static let session = "reservoir_session"
    static let flash = "reservoir_flash"

    static func secret(_ request: Request) -> String? {
        request.cookies[session]?.value
    }

    static func isHTTPS(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// Sets `name` (or clears it, with `value` nil) on `response`.
    static func set(_ name: String, _ value: String?, on response: inout Response, for request: Request) {
        response.setCookie(Cookie(
            name: name, value: value ?? "", maxAge: value == nil ? 0 : nil, path: "/", secure: isHTTPS(request), httpOnly: true, sameSite: .strict))
    }

    /// The flash message the previous POST left, if any.
    static func flashMessage(_ request: Request) -> String? {
        guard let value = request.cookies[flash]?.value, !value.isEmpty else { return nil }
        return value.removingPercentEncoding
    }

    /// A flash message encoded as a cookie value (letters and digits stay, everything else is %XX).
    static func encodeFlash(_ message: String) -> String {
        message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
