import Hummingbird
import ReservoirCore
import ReservoirServices

/// One route of the API: method, path template, what it is for, and its handler. The router and
/// the OpenAPI document are both built from the same list, so they cannot drift apart.
struct APIRoute: Sendable {
    typealias Handler = @Sendable (Request, ReservoirRequestContext, Principal) async throws -> Response

    let method: HTTPRequest.Method
    let path: String
    let summary: String
    /// What the route does in the access policy's words: every route names one, so every route has a rule.
    let action: Action
    /// Request body schema name in the OpenAPI document, if the route takes a body.
    let body: String?
    let handler: Handler

    init(_ method: HTTPRequest.Method, _ path: String, _ summary: String, action: Action, body: String? = nil, handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.summary = summary
        self.action = action
        self.body = body
        self.handler = handler
    }

    /// The authenticated caller; `AuthMiddleware` guarantees it on `/v1`.
    static func principal(_ context: ReservoirRequestContext) throws -> Principal {
        guard let p = context.principal else { throw ReservoirError(.unauthenticated, "a bearer token is required") }
        return p
    }
}

extension ReservoirRequestContext {
    /// A path parameter that must be present.
    func parameter(_ name: String) throws -> String {
        guard let v = parameters.get(name) else { throw ReservoirError.invalid(name, "is required") }
        return v
    }
}
