import Hummingbird

extension Router {
    /// Registers `handler` for GET and for HEAD on `path`. A HEAD (a link checker's, a proxy's, `curl -I`) gets
    /// the GET's status and headers, Content-Length included, without the body — not the API's JSON 404 for a
    /// method the router does not know. Every console GET route goes through here.
    func getAndHead(_ path: RouterPath, _ handler: @escaping @Sendable (Request, Context) async throws -> Response) {
        on(path, method: .get, use: handler)
        on(path, method: .head) { request, context in try await handler(request, context).withoutBody() }
    }
}

extension Response {
    /// The answer to a HEAD: the same status and headers, the length the body would have had, no body.
    func withoutBody() -> Response {
        var headers = self.headers
        if let length = body.contentLength { headers[.contentLength] = String(length) }
        return Response(status: status, headers: headers, body: ResponseBody())
    }
}
