import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A thin HTTP client for the Reservoir API; errors carry the server's JSON error message.
struct APIClient {
    let server: String
    let token: String

    struct Failure: Error, CustomStringConvertible {
        let status: Int
        let body: String
        var description: String {
            if let data = body.data(using: .utf8),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let error = object["error"] as? [String: Any] {
                let field = (error["field"] as? String).map { " (\($0))" } ?? ""
                return "error \(status): \(error["message"] as? String ?? body)\(field)"
            }
            return "error \(status): \(body)"
        }
    }

    /// Sends a request and returns the body; throws `Failure` on a non-2xx status.
    func send(
        _ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String = "application/json", headers: [(String, String)] = []
    ) async throws -> Data {
        var request = HTTPClientRequest(url: server.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let data = Data(buffer: bytes)
        guard (200..<300).contains(response.status.code) else {
            throw Failure(status: Int(response.status.code), body: String(decoding: data, as: UTF8.self))
        }
        return data
    }

    func get(_ path: String) async throws -> Data { try await send(.GET, path) }

    func json(_ method: HTTPMethod, _ path: String, _ object: [String: Any]) async throws -> Data {
        try await send(method, path, body: try JSONSerialization.data(withJSONObject: object))
    }
}
