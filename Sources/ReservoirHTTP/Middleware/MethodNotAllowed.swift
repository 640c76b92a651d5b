import Hummingbird
import ReservoirCore

extension Router where Context == ReservoirRequestContext {
    /// Answers 405 with an `Allow` header (not the router's 404) to a method a documented path does
    /// not take, unless another route of that method matches the path (`/v1/jobs/cancel` is also
    /// `/v1/jobs/{id}` to a GET).
    func refuseOtherMethods(of routes: [APIRoute]) {
        let candidates: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .options, .trace]
        for path in Set(routes.map(\.path)) {
            let allowed = routes.filter { $0.path == path }.map(\.method)
            let allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            for method in candidates where !allowed.contains(method) {
                guard !routes.contains(where: { $0.method == method && Self.matches($0.path, path) }) else { continue }
                on(RouterPath(path), method: method) { request, context in
                    var response = try ReservoirError(.invalidArgument, "\(path) takes \(allow), not \(method.rawValue)")
                        .response(from: request, context: context).with(status: .methodNotAllowed)
                    response.headers[.allow] = allow
                    return response
                }
            }
        }
    }

    /// Whether two path templates can match the same path: segment by segment equal, or a parameter.
    static func matches(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: "/"), y = b.split(separator: "/")
        return x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || $0.hasPrefix("{") || $1.hasPrefix("{") }
    }
}
