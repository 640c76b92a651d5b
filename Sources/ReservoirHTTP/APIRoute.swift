import Hummingbird
import ReservoirCore
import ReservoirServices

/// One route of the API: method, path template, what it is for, its contract, and its handler. The
/// router and the OpenAPI document are both built from the same list, so they cannot drift apart, and
/// the conformance test holds real answers to the contract.
struct APIRoute: Sendable {
    typealias Handler = @Sendable (Request, ReservoirRequestContext, Principal) async throws -> Response

    let method: HTTPRequest.Method
    let path: String
    let summary: String
    /// What the route does in the access policy's words: every route names one, so every route has a rule.
    let action: Action
    /// The body the route takes, if any.
    let body: RequestBody?
    /// The query parameters it reads (a list's `limit` and `cursor` come with `Answer.page`).
    let query: [QueryParameter]
    /// What it answers on success.
    let answers: Answer
    /// The failures it may answer besides the ones every route of its kind may (see `errorStatuses`).
    let errors: [HTTPResponse.Status]
    let handler: Handler

    init(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, action: Action, body: RequestBody? = nil,
        query: [QueryParameter] = [], answers: Answer = .undescribed, errors: [HTTPResponse.Status] = [], handler: @escaping Handler
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        self.action = action
        self.body = body
        self.query = query
        self.answers = answers
        self.errors = errors
        self.handler = handler
    }

    /// Every failure status the route may answer: its own `errors`, plus 401 (no or a bad token), 404
    /// (an unknown object in the path), 400 and 413 (a bad or too large body, a bad query parameter),
    /// and 422 (an `Idempotency-Key` reused for a different request).
    var errorStatuses: [HTTPResponse.Status] {
        var statuses: [HTTPResponse.Status] = [.unauthorized] + errors
        if !OpenAPIDocument.pathParameters(path).isEmpty { statuses.append(.notFound) }
        if body != nil || !query.isEmpty || answers.isPage { statuses.append(.badRequest) }
        if body != nil { statuses.append(.contentTooLarge) }
        if query.contains(where: { $0.name == QueryParameter.idempotencyKey.name }) { statuses.append(.unprocessableContent) }
        var seen = Set<Int>()
        return statuses.filter { seen.insert($0.code).inserted }.sorted { $0.code < $1.code }
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
