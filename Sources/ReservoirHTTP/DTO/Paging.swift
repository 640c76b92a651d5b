import HTTPTypes
import Hummingbird
import ReservoirCore

/// How every list route pages, in one place: the request names `limit` (1…1000) and `cursor` (as a
/// previous page's `next` link gave it); the body stays the list's JSON array, and when more items
/// exist the reply carries `Link: </v1/…?<the same filters>&cursor=…&limit=N>; rel="next"` (RFC 8288).
extension Request {
    /// The page this request asks for, or a 400 naming `limit` or `cursor`.
    func page(defaultLimit: Int = PageRequest.defaultLimit) throws -> PageRequest {
        try PageRequest(limitParameter: try query("limit", as: Int.self), cursorParameter: query("cursor"), defaultLimit: defaultLimit)
    }

    /// This request's path and query with `cursor` and `limit` replaced: the next page of the same list.
    func link(to cursor: Cursor, limit: Int) -> String {
        let kept = (uri.query ?? "").split(separator: "&").filter { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first ?? ""
            return name != "cursor" && name != "limit"
        }
        return uri.path + "?" + (kept.map(String.init) + ["cursor=\(cursor)", "limit=\(limit)"]).joined(separator: "&")
    }
}

extension Coding {
    static let link = HTTPField.Name("Link")!

    /// A page as its JSON array, with the `next` link when more items exist.
    static func page<Item: Encodable>(_ page: Page<Item>, for request: Request, _ asked: PageRequest) throws -> Response {
        try json(page.items, next: page.next, for: request, asked)
    }

    /// `value` (a list, or a report holding one page of a list) with the `next` link when more items exist.
    static func json<T: Encodable>(_ value: T, next: Cursor?, for request: Request, _ asked: PageRequest) throws -> Response {
        var response = try json(value)
        if let next { response.headers[link] = "<\(request.link(to: next, limit: asked.limit))>; rel=\"next\"" }
        return response
    }
}
