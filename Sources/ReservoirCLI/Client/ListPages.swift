import Foundation

extension APIClient {
    /// A list route's items, page after page along its `Link: <…>; rel="next"` header, until `limit`
    /// items (nil: to the last page). One page comes back byte for byte as the server sent it; several
    /// are joined into one JSON array. The headers are the first page's (`X-Total-Count`).
    func list(_ path: String, limit: Int? = nil, pageSize: Int = APIClient.pageLimit) async throws -> ServerReply {
        var pages: [ServerReply] = []
        var count = 0
        var next: String? = path
        while let page = next, limit.map({ count < $0 }) ?? true {
            let reply = try await get(Self.replacingLimit(of: page, with: min((limit ?? .max) - count, pageSize)))
            pages.append(reply)
            count += (try JSONSerialization.jsonObject(with: reply.data) as? [Any])?.count ?? 0
            next = reply.headers.first(name: "Link").flatMap(Self.nextLink)
        }
        // A limit below 1 asks nothing: the server answers why (a 400 naming `limit`).
        guard let first = pages.first else { return try await get(Self.replacingLimit(of: path, with: limit ?? 0)) }
        guard pages.count > 1 else { return first }
        return ServerReply(request: first.request, data: Self.joinArrays(pages.map(\.data)), headers: first.headers)
    }

    /// The most items the server sends in one page.
    static let pageLimit = 1000

    /// The target of a `rel="next"` link: `</v1/jobs?cursor=ab&limit=2>; rel="next"` → `/v1/jobs?cursor=ab&limit=2`.
    static func nextLink(_ header: String) -> String? {
        for link in header.split(separator: ",") where link.contains("rel=\"next\"") {
            guard let open = link.firstIndex(of: "<"), let close = link.firstIndex(of: ">"), open < close else { continue }
            return String(link[link.index(after: open)..<close])
        }
        return nil
    }

    /// `path` asking for `limit` items, whatever limit it named before.
    static func replacingLimit(of path: String, with limit: Int) -> String {
        let parts = path.split(separator: "?", maxSplits: 1)
        let kept = parts.count > 1 ? parts[1].split(separator: "&").filter { !$0.hasPrefix("limit=") }.map(String.init) : []
        return parts[0] + "?" + (kept + ["limit=\(limit)"]).joined(separator: "&")
    }

    /// JSON arrays joined into one, each item's text kept as it was.
    static func joinArrays(_ pages: [Data]) -> Data {
        let items = pages.compactMap { page -> String? in
            let text = String(decoding: page, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let inner = text.dropFirst().dropLast().trimmingCharacters(in: .whitespacesAndNewlines)
            return inner.isEmpty ? nil : inner
        }
        return Data(("[\n  " + items.joined(separator: ",\n  ") + "\n]").utf8)
    }
}
