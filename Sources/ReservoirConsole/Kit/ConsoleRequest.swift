import Hummingbird
import ReservoirCore
import ReservoirServices

/// What a page handler gets: the application, the signed-in principal (pass it to every use case, so the
/// access policy decides as it does for the API), the request's path parameters and query, and — for a
/// POST — the decoded form.
public struct ConsoleRequest: Sendable {
    public let reservoir: Reservoir
    public let session: SignedIn
    public let request: Request
    let parameters: Parameters
    /// The form of a POST (fields checked against those the route declared); empty for a GET.
    public let form: FormBody

    public var principal: Principal { session.principal }

    /// A path parameter (`{id}` in the route's path); a missing one is a 404 naming it.
    public func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else { throw ReservoirError.notFound(name, "no \(name) in the path") }
        return value
    }

    /// A query parameter, nil when absent or empty (an empty filter field means "any").
    public func query(_ name: String) -> String? {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// Whether the signed-in principal may do `action` at all (some scope): show a button or a section only then.
    public func may(_ action: Action) -> Bool {
        reservoir.runtime.access.scope(principal, action) > .none
    }
}
