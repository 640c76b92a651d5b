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

    /// Decodes a JSON body, or a YAML body when the content type says so; unknown keys are refused (`BodyDecoding`).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: ReservoirRequestContext) async throws -> T {
        let text = try await body(of: request, limit: context.maxUploadSize)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ReservoirError.invalid("body", "is empty")
        }
        let isYAML = (request.headers[.contentType] ?? "").contains("yaml")
        if isYAML { try YAMLGuard.check(text) }
        return isYAML ? try BodyDecoding.yaml(T.self, from: text) : try BodyDecoding.json(T.self, from: Data(text.utf8))
    }

    /// The body as text, at most `limit` bytes; a larger one is a 413 that states the limit.
    static func body(of request: Request, limit: Int) async throws -> String {
        var request = request
        do {
            return String(buffer: try await request.collectBody(upTo: limit))
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw HTTPError(.contentTooLarge, message: "the body is larger than the limit of \(limit >> 20) MiB")
        }
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The header a list sends with the number of all matching items, when it shows only some.
    static let totalCount = HTTPField.Name("X-Total-Count")!

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

    /// A query parameter that names one case of `E`, or a 400 listing them.
    func query<E: RawRepresentable & CaseIterable>(_ name: String, oneOf type: E.Type) throws -> E? where E.RawValue == String {
        try query(name).map { raw in
            guard let value = E(rawValue: raw) else { throw ReservoirError.invalid(name, "one of \(E.allCases.map(\.rawValue))") }
            return value
        }
    }

    /// A time query parameter in Unix seconds, or a 400 naming it when it is not a finite number.
    func time(_ name: String) throws -> Double? {
        guard let value = try query(name, as: Double.self) else { return nil }
        guard value.isFinite else { throw ReservoirError.invalid(name, "must be a finite number of Unix seconds") }
        return value
    }

    /// A point in time as people write it, read against the server's clock `now`: Unix seconds, a duration
    /// ago (`7d`, `12h`, `1d12h`, `30m`, `1w`) or an ISO 8601 date or time; within `Bounds.unixSeconds`, or a 400 naming it.
    func pointInTime(_ name: String, now: Double) throws -> Double? {
        guard let raw = query(name)?.trimmingCharacters(in: .whitespaces) else { return nil }
        let seconds: Double? =
            if let unix = Double(raw) { unix } else if let ago = DurationText.seconds(raw) { now - ago } else { Self.iso8601(raw) }
        guard let seconds, seconds.isFinite else {
            throw ReservoirError.invalid(name, "\(raw) is no time: Unix seconds, a duration ago (7d, 12h, 30m, 1w) or an ISO 8601 date or time")
        }
        return try Bounds.check(seconds, name, in: Bounds.unixSeconds, unit: "(Unix seconds)")
    }

    private static func iso8601(_ text: String) -> Double? {
        let forms: [ISO8601DateFormatter.Options] = [.withInternetDateTime, [.withInternetDateTime, .withFractionalSeconds], .withFullDate]
        for options in forms {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            formatter.timeZone = TimeZone(identifier: "UTC")
            if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        }
        return nil
    }

    /// The client's `Idempotency-Key` header: a retry with the same key returns what the first request created.
    var idempotencyKey: String? { HTTPField.Name("Idempotency-Key").flatMap { headers[$0] } }
}
