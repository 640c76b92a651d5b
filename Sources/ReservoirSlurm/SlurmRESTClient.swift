import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A thin JSON client for slurmrestd: JWT headers on every request (even `/openapi/v3` needs them,
/// slurm-notes pitfall 5), the `errors` array turned into a typed `SlurmError`, nothing else.
struct SlurmRESTClient: Sendable {
    var configuration: SlurmConfiguration
    var http: HTTPClient = .shared

    /// Decodes the reply as `Reply` after checking the HTTP status and Slurm's `errors` array.
    /// `tolerating` lists error texts that are notices, not failures (a held submit reports
    /// "Job is in held state, pending scheduler release" in `errors` next to its `job_id`).
    func request<Reply: Decodable>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none, as: Reply.Type,
        tolerating: [String] = []
    ) async throws(SlurmError) -> Reply {
        let bytes = try await raw(method, path, body: body)
        if let envelope = try? JSONDecoder().decode(SlurmErrorsReply.self, from: bytes),
            let errors = envelope.errors?.filter({ error in !tolerating.contains { error.text.contains($0) } }),
            !errors.isEmpty
        {
            throw SlurmError(.rejected, "\(method) \(path): " + errors.map(\.text).joined(separator: "; "))
        }
        do {
            return try JSONDecoder().decode(Reply.self, from: bytes)
        } catch {
            throw SlurmError(.malformed, "\(method) \(path): \(error)")
        }
    }

    private func raw(_ method: HTTPMethod, _ path: String, body: (some Encodable)?) async throws(SlurmError) -> Data {
        let token = try configuration.currentToken()
        var request = HTTPClientRequest(url: configuration.url + path)
        request.method = method
        request.headers.add(name: "X-SLURM-USER-NAME", value: configuration.user)
        request.headers.add(name: "X-SLURM-USER-TOKEN", value: token)
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            do {
                request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
            } catch {
                throw SlurmError(.malformed, "cannot encode \(path) body: \(error)")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let seconds = Int64(configuration.requestTimeout.components.seconds)
        do {
            let response = try await http.execute(request, timeout: .seconds(seconds))
            let buffer = try await response.body.collect(upTo: 256 << 20)
            let data = Data(buffer.readableBytesView)
            guard (200..<300).contains(response.status.code) || method == .DELETE || response.status.code == 500 else {
                throw SlurmError(.rejected, "\(method) \(path): HTTP \(response.status.code) \(String(decoding: data.prefix(300), as: UTF8.self))")
            }
            return data
        } catch let error as SlurmError {
            throw error
        } catch {
            throw SlurmError(.unreachable, "\(method) \(path): \(error)")
        }
    }
}
