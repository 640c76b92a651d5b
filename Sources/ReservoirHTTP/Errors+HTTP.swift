import Foundation
import Hummingbird
import ReservoirConsole
import ReservoirCore

/// The JSON error body every failure returns: `{"error": {"code", "field", "message"}}`.
struct ErrorBody: Codable {
    struct Detail: Codable {
        var code: String
        var field: String?
        var message: String
    }
    var error: Detail

    /// The code of a failure that is not a domain error (a bug): a logged 500.
    static let internalCode = "internal"
}

extension ReservoirError: HTTPResponseError {
    public var status: HTTPResponse.Status { httpStatus }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if code == .unauthenticated { headers[.wwwAuthenticate] = "Bearer" }
        let body = try JSONEncoder().encode(ErrorBody(error: .init(code: code.rawValue, field: field, message: message)))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Turns every error into the JSON error body: domain errors keep their status, Hummingbird's
/// own (404 route, 413 too large) keep theirs, anything else is a logged 500. A path the route
/// table has, asked with a method no route of that path takes, is a 405 with `Allow` rather than the router's 404.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Method and path template of every route.
    let routes: [(method: HTTPRequest.Method, path: String)]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ReservoirError {
            return try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError
            where error.status == .notFound && !allowed(request.uri.path).isEmpty && !allowed(request.uri.path).contains(request.method.rawValue) {
            let allow = allowed(request.uri.path).joined(separator: ", ")
            var response = try ReservoirError(.invalidArgument, "\(request.uri.path) takes \(allow), not \(request.method.rawValue)")
                .response(from: request, context: context).with(status: .methodNotAllowed)
            response.headers[.allow] = allow
            return response
        } catch let error as any HTTPResponseError {
            let code = error.status == .notFound ? ReservoirError.Code.notFound : .invalidArgument
            let message = error.status == .notFound ? "no route \(request.method.rawValue) \(request.uri.path)" : (error as? HTTPError)?.body ?? "\(error.status.reasonPhrase)"
            return try ReservoirError(code, message).response(from: request, context: context).with(status: error.status)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            let body = try JSONEncoder().encode(ErrorBody(error: .init(code: ErrorBody.internalCode, field: nil, message: "internal error")))
            return Response(status: .internalServerError, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}

extension ErrorMiddleware {
    /// The methods of the routes whose template matches `path` (segment by segment: equal, or a parameter).
    /// Only the most specific templates count, as in the router: `/v1/jobs/cancel` is that route's
    /// path (POST), not a job called "cancel" of `/v1/jobs/{id}` (GET, PATCH).
    func allowed(_ path: String) -> [String] {
        let segments = path.split(separator: "/")
        let matching = routes.filter { route in
            let template = route.path.split(separator: "/")
            return template.count == segments.count && zip(template, segments).allSatisfy { $0 == $1 || $0.hasPrefix("{") }
        }
        func literals(_ template: String) -> Int { template.split(separator: "/").filter { !$0.hasPrefix("{") }.count }
        let most = matching.map { literals($0.path) }.max()
        return Set(matching.filter { literals($0.path) == most }.map(\.method.rawValue)).sorted()
    }
}

extension Response {
    func with(status: HTTPResponse.Status) -> Response {
        var r = self
        r.status = status
        return r
    }
}
