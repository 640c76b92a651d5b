import Foundation
import HTTPTypes
import Hummingbird
import ReservoirCore
import ReservoirServices
import Yams

/// Body decoding and response encoding with errors that name the field.
enum Coding {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return e
    }()

    /// Decodes a JSON body, or a YAML body when the content type says so.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: ReservoirRequestContext) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let text = String(buffer: buffer)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ReservoirError.invalid("body", "is empty")
        }
        let isYAML = (request.headers[.contentType] ?? "").contains("yaml")
        do {
            if isYAML { return try YAMLDecoder().decode(T.self, from: text) }
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw DecodingErrors.reservoirError(error)
        } catch {
            throw ReservoirError.invalid("body", "malformed \(isYAML ? "YAML" : "JSON"): \(error)")
        }
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ body: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension Request {
    /// A query parameter parsed to `T`, or a 400 naming it.
    func query<T: LosslessStringConvertible>(_ name: String, as type: T.Type) throws -> T? {
        guard let raw = uri.queryParameters[name[...]] else { return nil }
        guard let value = T(String(raw)) else { throw ReservoirError.invalid(name, "invalid value \(raw)") }
        return value
    }

    func query(_ name: String) -> String? { uri.queryParameters[name[...]].map(String.init) }

    /// The client's `Idempotency-Key` header: a retry with the same key returns what the first request created.
    var idempotencyKey: String? { HTTPField.Name("Idempotency-Key").flatMap { headers[$0] } }
}
