import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A thin HTTP client for the Reservoir API; errors carry the server's JSON error message.
struct APIClient {
    let server: String
    let token: String

    /// The server's refusal: status, and its JSON error (`code`, `field`, `message`) when it sent one.
    struct Failure: Error, CustomStringConvertible {
        let status: Int
        let body: String

        /// One line: `404 not_found: id: no job job-000999`; a body that is not a Reservoir error is shown cut to one short line.
        var description: String {
            if let data = body.data(using: .utf8),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let error = object["error"] as? [String: Any] {
                let code = (error["code"] as? String).map { " \($0)" } ?? ""
                let field = (error["field"] as? String).map { "\($0): " } ?? ""
                return "\(status)\(code): \(field)\(error["message"] as? String ?? body)"
            }
            let text = body.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
            let reason = HTTPResponseStatus(statusCode: status).reasonPhrase
            return text.isEmpty ? "\(status) \(reason)" : "\(status) \(reason): \(text.prefix(200))"
        }
    }

    /// One client for the process that gives up on a refused connection at once (AsyncHTTPClient's
    /// shared client retries until the request's deadline, so a stopped server took 30 s to report).
    private static let http = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: {
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool.retryConnectionEstablishment = false
            configuration.timeout.connect = .seconds(10)
            return configuration
        }())

    /// Sends a request and returns the reply (body and headers); throws `Failure` on a non-2xx
    /// status and `CLIError.unreachable` when there is no answer at all.
    func send(
        _ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String = "application/json", headers: [(String, String)] = []
    ) async throws -> ServerReply {
        let base = server.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        let data: Data
        do {
            response = try await Self.http.execute(request, timeout: .seconds(30))
            data = Data(buffer: try await response.body.collect(upTo: 64 << 20))
        } catch {
            throw CLIError.unreachable(server: base, reason: Self.reason(error))
        }
        guard (200..<300).contains(response.status.code) else {
            throw Failure(status: Int(response.status.code), body: String(decoding: data, as: UTF8.self))
        }
        let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        return ServerReply(request: "\(method.rawValue) \(route)", data: data, headers: response.headers)
    }

    func get(_ path: String) async throws -> ServerReply { try await send(.GET, path) }

    func json(_ method: HTTPMethod, _ path: String, _ object: [String: Any]) async throws -> ServerReply {
        try await send(method, path, body: try JSONSerialization.data(withJSONObject: object))
    }

    /// Why no answer came, in a few words: `connection refused`, `unknown host`, `timed out`.
    static func reason(_ error: any Error) -> String {
        switch error {
        case let io as IOError where io.errnoCode == ECONNREFUSED: return "connection refused"
        case let io as IOError: return String(cString: strerror(io.errnoCode)).lowercased()
        case let connect as NIOConnectionError:
            if let first = connect.connectionErrors.first { return reason(first.error) }
            return "unknown host \(connect.host)"
        case is SocketAddressError: return "unknown host"
        case let http as HTTPClientError where http == .connectTimeout: return "timed out connecting"
        case let http as HTTPClientError where http == .deadlineExceeded || http == .readTimeout: return "no answer within 30 s"
        case let http as HTTPClientError where http == .remoteConnectionClosed: return "the server closed the connection"
        default: return "\(error)"
        }
    }
}
