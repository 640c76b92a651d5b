import Hummingbird

/// `/console/assets/…`: the stylesheet and the script, from Swift strings (no files to ship), with a strong
/// ETag from their content so a browser revalidates cheaply and never keeps a stale copy past a release.
enum ConsoleAssets {
    struct Asset: Sendable {
        let contentType: String
        let body: String
        let etag: String

        init(contentType: String, body: String) {
            self.contentType = contentType
            self.body = body
            self.etag = "\"" + Self.fnv1a(body) + "\""
        }

        /// FNV-1a, 64 bits, hex: a content fingerprint (not security), stable across runs.
        static func fnv1a(_ text: String) -> String {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return String(hash, radix: 16)
        }
    }

    static let all: [String: Asset] = [
        "console.css": Asset(contentType: "text/css; charset=utf-8", body: ConsoleStyle.source),
        "console.js": Asset(contentType: "text/javascript; charset=utf-8", body: ConsoleScript.source),
    ]

    static func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/console/assets/{name}") { request, context in
            guard let name = context.parameters.get("name"), let asset = all[name] else {
                return Response(status: .notFound, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "no such asset\n")))
            }
            var headers: HTTPFields = [.contentType: asset.contentType, .eTag: asset.etag]
            ConsoleRenderer.secure(&headers, cache: "public, max-age=300, must-revalidate")
            if request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: headers) }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: asset.body)))
        }
    }
}
