import Hummingbird
import ReservoirCore
import ReservoirServices

/// Every `/v1` call needs `Authorization: Bearer <token>`; the resolved user goes into the context.
/// Every refused call (401, 403) is recorded in the audit log as a security event with its actor.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ReservoirRequestContext
    let reservoir: Reservoir

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") || request.uri.path == "/v1" else { return try await next(request, context) }
        var context = context
        do {
            guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
                throw ReservoirError(.unauthenticated, field: "Authorization", "a bearer token is required")
            }
            context.principal = try reservoir.access.authenticate(bearer: String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces))
            return try await next(request, context)
        } catch let error as ReservoirError where error.code == .unauthenticated || error.code == .permissionDenied {
            reservoir.access.recordDenied(error, method: request.method.rawValue, path: request.uri.path, principal: context.principal)
            throw error
        }
    }
}
